package io.tokenbroker.support;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A broker in production mode on a fresh PostgreSQL database; subclasses share one running broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "broker.refresh.scheduler-enabled=false", "spring.datasource.hikari.maximum-pool-size=5",
				"broker.oauth.allowed-return-urls=https://app.example.com/done" })
@ActiveProfiles("prod")
public abstract class PostgresBrokerTestBase extends BrokerTestBase {

	@Value("${server.port}")
	protected int port;

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registerCommon(registry);
		String url = TestDatabase.newDatabase("broker");
		registry.add("spring.datasource.url", () -> url);
		registry.add("spring.datasource.username", TestDatabase::username);
		registry.add("spring.datasource.password", TestDatabase::password);
	}

	protected BrokerClient client() {
		return client(this.port);
	}

}
