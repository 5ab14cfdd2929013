package io.tokenbroker.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.tokenbroker.problem.BrokerException;

/**
 * Resolves an API host once and decides whether the proxy may connect there. The connection then goes to exactly the
 * address checked here, so a host whose DNS answer changes between check and use (DNS rebinding) cannot slip through.
 * Hosts the operator did not configure explicitly must not be IP literals and must resolve only to public addresses.
 * Webhook delivery applies the same address rules to endpoint URLs.
 */
public final class AddressGuard {

	/** Dotted, decimal, octal and hex IPv4 forms that resolvers accept as addresses. */
	private static final Pattern IPV4_LITERAL = Pattern
		.compile("(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+)){0,3}");

	private AddressGuard() {
	}

	/**
	 * The address to connect to for {@code host}; {@code trusted} when the operator wrote the host literally.
	 * @throws BrokerException 400 when the target is not allowed there
	 * @throws UnknownHostException when the host does not resolve
	 */
	public static InetAddress resolve(String host, boolean trusted) throws UnknownHostException {
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		if (!trusted && isIpLiteral(host)) {
			throw forbidden();
		}
		InetAddress[] addresses = InetAddress.getAllByName(host);
		if (!trusted) {
			for (InetAddress address : addresses) {
				if (!isPublic(address)) {
					throw forbidden();
				}
			}
		}
		return addresses[0];
	}

	/**
	 * Refuses a host that connection-config values chose rather than the operator (a provider URL template with a
	 * placeholder in its host) when it is an IP literal or resolves to any non-public address.
	 * @throws BrokerException 400 when the host is not allowed
	 * @throws UnknownHostException when the host does not resolve
	 */
	public static void requirePublicHost(String host) throws UnknownHostException {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (isIpLiteral(bare)) {
			throw forbidden();
		}
		for (InetAddress address : InetAddress.getAllByName(bare)) {
			if (!isPublic(address)) {
				throw forbidden();
			}
		}
	}

	public static boolean isIpLiteral(String host) {
		return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host.toLowerCase(Locale.ROOT)).matches();
	}

	/** Whether an address is on the public internet: not loopback, private, link-local, shared, reserved, … */
	public static boolean isPublic(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			return isPublicV4(b);
		}
		if (address instanceof Inet6Address) {
			int first = b[0] & 0xFF;
			if ((first & 0xFE) == 0xFC) {
				return false; // fc00::/7 unique local
			}
			boolean mapped = (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
			if (isZero(b, 0, 10) && (mapped || isZero(b, 10, 12))) {
				return isPublicV4(new byte[] { b[12], b[13], b[14], b[15] }); // IPv4-mapped or -compatible
			}
			if (first == 0x20 && (b[1] & 0xFF) == 0x02) {
				return isPublicV4(new byte[] { b[2], b[3], b[4], b[5] }); // 2002::/16 6to4
			}
			if (first == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B) {
				if (isZero(b, 4, 12)) {
					return isPublicV4(new byte[] { b[12], b[13], b[14], b[15] }); // 64:ff9b::/96 NAT64
				}
				// 64:ff9b:1::/48 is for NAT64 inside one network (RFC 8215); the rest of 64:ff9b::/32 is unassigned.
				return false;
			}
			if (first == 0x20 && (b[1] & 0xFF) == 0x01 && b[2] == 0 && b[3] == 0) {
				// 2001::/32 Teredo: the server's IPv4, then the client's with every bit flipped (RFC 4380).
				return isPublicV4(new byte[] { b[4], b[5], b[6], b[7] })
						&& isPublicV4(new byte[] { (byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15] });
			}
			return !(first == 0x20 && (b[1] & 0xFF) == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8);
		}
		return false;
	}

	private static boolean isPublicV4(byte[] b) {
		int a0 = b[0] & 0xFF;
		int a1 = b[1] & 0xFF;
		int a2 = b[2] & 0xFF;
		return !(a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224 // this network, private, loopback, multicast, reserved
				|| (a0 == 100 && (a1 & 0xC0) == 64) // 100.64.0.0/10 shared address space
				|| (a0 == 169 && a1 == 254) // link-local, cloud metadata
				|| (a0 == 172 && (a1 & 0xF0) == 16) || (a0 == 192 && a1 == 168) // private
				|| (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF protocol assignments, TEST-NET-1
				|| (a0 == 198 && (a1 & 0xFE) == 18) // benchmarking
				|| (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)); // TEST-NET-2/3
	}

	private static boolean isZero(byte[] b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (b[i] != 0) {
				return false;
			}
		}
		return true;
	}

	private static BrokerException forbidden() {
		// The address itself is not shown: the proxy must not become a way to map the internal network.
		return BrokerException.badRequest("The API host is an IP address or resolves to a private, loopback or "
				+ "link-local address; only hosts the operator configured explicitly may.");
	}

}
