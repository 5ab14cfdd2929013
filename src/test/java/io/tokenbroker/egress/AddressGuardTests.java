package io.tokenbroker.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.tokenbroker.problem.BrokerException;

/** Which addresses count as internal, and which hosts as IP literals, for hosts the operator did not vouch for. */
class AddressGuardTests {

	@ParameterizedTest
	@ValueSource(strings = { "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "127.8.9.10",
			"169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::",
			"fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "2002:a00:1::", "64:ff9b::a00:1",
			"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "64:ff9b:1:ffff::808:808",
			"2001:0:4136:e378:8000:63bf:f5ff:fffe", "2001:0:a00:1:8000:63bf:f7f7:f7f7", "2002:7f00:1::",
			"2002:a9fe:a9fe::1",
			"2001:db8::1" })
	void internalAndReservedAddressesAreNotPublic(String literal) throws UnknownHostException {
		assertThat(AddressGuard.isPublic(InetAddress.getByName(literal))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "140.82.112.5", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
			"::ffff:8.8.8.8", "2002:808:808::", "64:ff9b::808:808",
			"2001:0:4136:e378:8000:63bf:f7f7:f7f7" })
	void internetAddressesArePublic(String literal) throws UnknownHostException {
		assertThat(AddressGuard.isPublic(InetAddress.getByName(literal))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "::1", "fe80::1%eth0" })
	void addressesInAnyNotationAreIpLiterals(String host) {
		assertThat(AddressGuard.isIpLiteral(host)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "api.github.com", "123.example.com", "localhost", "upload" })
	void hostNamesAreNotIpLiterals(String host) {
		assertThat(AddressGuard.isIpLiteral(host)).isFalse();
	}

	@Test
	void untrustedHostResolvingToLoopbackIsRefused() {
		assertThatThrownBy(() -> AddressGuard.resolve("localhost", false))
			.isInstanceOf(BrokerException.class)
			.hasMessageContaining("private, loopback or link-local");
	}

	@Test
	void operatorConfiguredHostMayBeLoopback() throws UnknownHostException {
		assertThat(AddressGuard.resolve("localhost", true).isLoopbackAddress())
			.isTrue();
	}

	@Test
	void untrustedIpLiteralIsRefusedEvenWhenPublic() {
		assertThatThrownBy(() -> AddressGuard.resolve("8.8.8.8", false))
			.isInstanceOf(BrokerException.class);
	}

}
