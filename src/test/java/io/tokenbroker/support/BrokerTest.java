package io.tokenbroker.support;

import java.io.IOException;
import java.net.ServerSocket;

import org.springframework.test.context.DynamicPropertyRegistry;

/** What every full-broker test configures: a fixed free port (the public URL must be known), keys, the mock IdP. */
public abstract class BrokerTest {

	protected static void registerCommon(DynamicPropertyRegistry registry) {
		int port = freePort();
		registry.add("server.port", () -> port);
		registry.add("broker.public-url", () -> "http://localhost:" + port);
		registry.add("broker.crypto.keyset", () -> TestKeys.KEYSET);
		registry.add("broker.security.service-token.hmac-secret", () -> ServiceTokens.SECRET);
		registry.add("broker.security.user-token.hmac-secret", () -> UserTokens.SECRET);
		MockIdp.providerProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	protected BrokerClient client(int port) {
		return new BrokerClient("http://localhost:" + port);
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
