package io.tokenbroker.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Several brokers in production mode in this JVM, each on its own port, all on one fresh PostgreSQL database: the
 * replicas of one deployment. Settings are passed as command-line arguments, so they win over application.yaml.
 */
public final class BrokerReplicas implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<BrokerClient> clients = new ArrayList<>();

	private final List<BrokerClient> managementClients = new ArrayList<>();

	private final String databaseUrl;

	private final Map<String, String> settings;

	private BrokerReplicas(String databaseUrl, Map<String, String> settings) {
		this.databaseUrl = databaseUrl;
		this.settings = settings;
	}

	/** Starts {@code count} replicas, one after the other (the first one migrates the database). */
	public static BrokerReplicas start(int count, Map<String, String> settings) {
		BrokerReplicas replicas = new BrokerReplicas(TestDatabase.newDatabase("replicas"), settings);
		try {
			for (int i = 0; i < count; i++) {
				replicas.startOne(Map.of());
			}
		}
		catch (RuntimeException ex) {
			replicas.close();
			throw ex;
		}
		return replicas;
	}

	/** Starts one more replica with {@code overrides} on top of the common settings; returns its index. */
	public int startOne(Map<String, String> overrides) {
		int port = FreePorts.next();
		int managementPort = FreePorts.next();
		// 127.0.0.1, not localhost: OAuth servers allow any port only for loopback IP redirect URIs (RFC 8252).
		Map<String, String> p = ProductionBroker.essentials("127.0.0.1", port, managementPort, this.databaseUrl);
		// Several brokers share the test PostgreSQL with the rest of the suite: small pools.
		p.put("spring.datasource.hikari.maximum-pool-size", "8");
		p.put("spring.datasource.hikari.minimum-idle", "2");
		p.putAll(this.settings);
		p.putAll(overrides);
		this.contexts.add(ProductionBroker.run(p));
		this.clients.add(new BrokerClient("http://127.0.0.1:" + port));
		this.managementClients.add(new BrokerClient("http://127.0.0.1:" + managementPort));
		return this.contexts.size() - 1;
	}

	/** The JDBC URL of the database all replicas share. */
	public String databaseUrl() {
		return this.databaseUrl;
	}

	public int size() {
		return this.contexts.size();
	}

	/** A client of the replica's management port, where Actuator answers. */
	public BrokerClient managementClient(int replica) {
		return this.managementClients.get(replica);
	}

	public BrokerClient client(int replica) {
		return this.clients.get(replica);
	}

	public ConfigurableApplicationContext context(int replica) {
		return this.contexts.get(replica);
	}

	/** Shuts one replica down gracefully, as a rolling update would. */
	public void stop(int replica) {
		this.contexts.get(replica).close();
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
