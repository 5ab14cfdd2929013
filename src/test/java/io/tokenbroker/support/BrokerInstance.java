package io.tokenbroker.support;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.BrokerApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A further broker process-alike in the test JVM: another replica, or the same database under other keys. */
public final class BrokerInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final BrokerClient client;

	private final BrokerClient managementClient;

	private BrokerInstance(ConfigurableApplicationContext context, int port, int managementPort) {
		this.context = context;
		this.client = new BrokerClient("http://localhost:" + port);
		this.managementClient = new BrokerClient("http://localhost:" + managementPort);
	}

	/** Starts a production-mode broker on {@code databaseUrl} with the mock IdP types and the given overrides. */
	public static BrokerInstance start(String databaseUrl, Map<String, String> overrides) {
		int port = BrokerTestBase.freePort();
		int managementPort = BrokerTestBase.freePort();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", port);
		properties.put("management.server.port", managementPort);
		properties.put("broker.public-url", "http://localhost:" + port);
		properties.put("spring.datasource.url", databaseUrl);
		properties.put("spring.datasource.username", TestDatabase.username());
		properties.put("spring.datasource.password", TestDatabase.password());
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		properties.put("broker.refresh.scheduler-enabled", "false");
		properties.put("spring.datasource.hikari.maximum-pool-size", "5");
		properties.putAll(MockIdp.providerProperties());
		properties.putAll(overrides);
		// Command-line arguments, not default properties: they must win over application.yaml (ports, pool sizes).
		String[] args = properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BrokerApplication.class).profiles("prod")
			.run(args);
		return new BrokerInstance(context, port, managementPort);
	}

	public BrokerClient client() {
		return this.client;
	}

	/** Actuator's port. */
	public BrokerClient managementClient() {
		return this.managementClient;
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
