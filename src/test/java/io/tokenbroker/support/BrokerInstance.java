package io.tokenbroker.support;

import java.util.Map;

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
		int port = FreePorts.next();
		int managementPort = FreePorts.next();
		Map<String, String> properties = ProductionBroker.essentials("localhost", port, managementPort, databaseUrl);
		properties.put("broker.refresh.scheduler-enabled", "false");
		properties.put("spring.datasource.hikari.maximum-pool-size", "5");
		properties.putAll(MockIdp.providerProperties());
		properties.putAll(overrides);
		return new BrokerInstance(ProductionBroker.run(properties), port, managementPort);
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
