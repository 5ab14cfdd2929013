package io.tokenbroker.support;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.BrokerApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a broker in production mode in the test JVM, as {@link BrokerInstance} and {@link BrokerReplicas} do. */
final class ProductionBroker {

	private ProductionBroker() {
	}

	/**
	 * What every production broker of the tests needs: its ports, the public URL on {@code host}, the test keys and
	 * the database.
	 */
	static Map<String, String> essentials(String host, int port, int managementPort, String databaseUrl) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", Integer.toString(port));
		properties.put("management.server.port", Integer.toString(managementPort));
		properties.put("broker.public-url", "http://" + host + ":" + port);
		properties.put("spring.datasource.url", databaseUrl);
		properties.put("spring.datasource.username", TestDatabase.username());
		properties.put("spring.datasource.password", TestDatabase.password());
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		return properties;
	}

	/**
	 * Runs the broker with {@code properties} as command-line arguments, not default properties: they must win over
	 * application.yaml (ports, pool sizes).
	 */
	static ConfigurableApplicationContext run(Map<String, String> properties) {
		String[] args = properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(BrokerApplication.class).profiles("prod").run(args);
	}

}
