package io.tokenbroker.support;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every full-broker test configures: fixed free ports (the public URL must be known; Actuator has its own), keys,
 * the mock IdP.
 */
public abstract class BrokerTestBase {

	@Value("${management.server.port}")
	protected int managementPort;

	protected static void registerCommon(DynamicPropertyRegistry registry) {
		int port = FreePorts.next();
		int managementPort = FreePorts.next();
		registry.add("server.port", () -> port);
		registry.add("management.server.port", () -> managementPort);
		registry.add("broker.public-url", () -> "http://localhost:" + port);
		registry.add("broker.crypto.keyset", () -> TestKeys.KEYSET);
		registry.add("broker.security.service-token.hmac-secret", () -> ServiceTokens.SECRET);
		registry.add("broker.security.service-token.audience", () -> ServiceTokens.AUDIENCE);
		registry.add("broker.security.user-token.hmac-secret", () -> UserTokens.SECRET);
		MockIdp.providerProperties().forEach((k, v) -> registry.add(k, () -> v));
	}

	protected BrokerClient client(int port) {
		return new BrokerClient("http://localhost:" + port);
	}

	/** A client of the management port, where Actuator answers. */
	protected BrokerClient managementClient() {
		return client(this.managementPort);
	}

}
