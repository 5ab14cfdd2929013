package io.tokenbroker.webhook;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.egress.AddressGuard;

import org.springframework.stereotype.Component;

/**
 * The proxy's address rules for endpoint URLs: no IP literals, and names that resolve only to public addresses,
 * unless the operator allowed the host ({@code broker.webhooks.allowed-private-hosts}). Checked when an endpoint is
 * saved, and again on every connection the sender opens (its resolver), so a name whose DNS answer changes later
 * (DNS rebinding) cannot reach the internal network either.
 */
@Component
class EndpointAddresses implements DnsResolver {

	static final int MAX_URL_LENGTH = 2000;

	private final Set<String> allowedPrivateHosts;

	EndpointAddresses(WebhookProperties properties) {
		this.allowedPrivateHosts = properties.allowedPrivateHosts()
			.stream()
			.map((host) -> host.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * The URL, checked; a Unicode host in its ASCII form.
	 * @throws BrokerException 400 when it is malformed, not HTTP(S), carries credentials or a fragment, or names a
	 * host that is not allowed
	 */
	String check(String url) {
		if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
			throw required();
		}
		URI uri;
		try {
			uri = asciiHost(new URI(url));
		}
		catch (URISyntaxException ex) {
			throw BrokerException.badRequest("'url' is not a valid URL.");
		}
		if (uri.toString().length() > MAX_URL_LENGTH) {
			// The ASCII form of a host can be longer than the Unicode one.
			throw required();
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !scheme.equals("http")) {
			throw BrokerException.badRequest("'url' must be an http or https URL.");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
				|| uri.getPort() > 65535) {
			throw BrokerException.badRequest("'url' must name a host (and a valid port, if any), without user info "
					+ "or fragment.");
		}
		try {
			resolve(uri.getHost());
		}
		catch (UnknownHostException ex) {
			throw BrokerException.badRequest((ex instanceof AddressNotAllowed) ? ex.getMessage()
					: "The host of 'url' does not resolve.");
		}
		return uri.toString();
	}

	private static BrokerException required() {
		return BrokerException.badRequest("'url' is required: an absolute http or https URL of at most "
				+ MAX_URL_LENGTH + " characters.");
	}

	/**
	 * The URL with a Unicode host (an internationalized domain name, {@code bücher.example}) in its ASCII form
	 * ({@code xn--bcher-kva.example}): the name DNS knows, which the rules below and the sender then see like any
	 * other. {@link URI} keeps such a host only as an authority, without a host. Unchanged when the host is ASCII or
	 * has no ASCII form; the checks below refuse it then.
	 */
	private static URI asciiHost(URI uri) throws URISyntaxException {
		String authority = uri.getRawAuthority();
		if (uri.getHost() != null || authority == null || authority.chars().allMatch((c) -> c < 128)) {
			return uri;
		}
		int at = authority.lastIndexOf('@');
		int colon = authority.lastIndexOf(':');
		int hostEnd = (colon > at) ? colon : authority.length();
		String host = authority.substring(at + 1, hostEnd);
		String ascii;
		try {
			ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
		}
		catch (IllegalArgumentException ex) {
			return uri;
		}
		String url = uri.toString();
		int start = url.indexOf(authority);
		return new URI(url.substring(0, start) + authority.substring(0, at + 1) + ascii
				+ authority.substring(hostEnd) + url.substring(start + authority.length()));
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (this.allowedPrivateHosts.contains(bare.toLowerCase(Locale.ROOT))) {
			return SystemDefaultDnsResolver.INSTANCE.resolve(bare);
		}
		if (AddressGuard.isIpLiteral(bare)) {
			throw new AddressNotAllowed();
		}
		InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(bare);
		for (InetAddress address : addresses) {
			if (!AddressGuard.isPublic(address)) {
				throw new AddressNotAllowed();
			}
		}
		return addresses;
	}

	@Override
	public String resolveCanonicalHostname(String host) throws UnknownHostException {
		return host;
	}

	/** A host the rules refuse; the message does not say which address it resolved to. */
	static final class AddressNotAllowed extends UnknownHostException {

		AddressNotAllowed() {
			super("The host of 'url' is an IP address or resolves to a private, loopback or link-local address; "
					+ "only hosts the operator allowed may.");
		}

	}

}
