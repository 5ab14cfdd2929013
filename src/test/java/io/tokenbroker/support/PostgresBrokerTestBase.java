package io.tokenbroker.support;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A broker in production mode on a fresh PostgreSQL database; subclasses share one running broker. Cached brokers stay
 * up for the rest of the run while other classes start theirs, on the PostgreSQL server's 100 connections: each keeps
 * one idle connection open rather than its whole pool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "broker.refresh.scheduler-enabled=false", "spring.datasource.hikari.maximum-pool-size=5",
				"spring.datasource.hikari.minimum-idle=1",
				"broker.oauth.allowed-return-urls=https://app.example.com/done" })
@ActiveProfiles("prod")
public abstract class PostgresBrokerTestBase extends BrokerTestBase {

	@Value("${server.port}")
	protected int port;

	@Autowired
	private JdbcClient database;

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

	/**
	 * Makes the app's stored tokens look issued an hour earlier than they were, as if read late in a long life: a
	 * token that expires within the read skew is then refreshed by the next read. (A token that only lives that long
	 * is not: reads refresh a token only in the second half of its life.) Call it before the first read, while no
	 * replica has the row cached.
	 */
	protected void ageStoredTokens(String app) {
		this.database.sql("update connection set authorized_at = authorized_at - interval '1 hour',"
				+ " last_refreshed_at = last_refreshed_at - interval '1 hour' where app_id = ?").param(app).update();
	}

}
