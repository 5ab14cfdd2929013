package io.tokenbroker.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.support.AuditEventsProbe;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;

/**
 * Faults a production broker must survive, each on its own PostgreSQL database: the database going away and coming
 * back, the audit table refusing writes, a provider's token endpoint down during a callback, and a refresh lease left
 * behind by a killed replica. The broker answers problems (503, never 500) and loses nothing.
 */
// Alone: it reads what the JVM logs, and a broker starting or stopping beside it would set the logging up again.
@Isolated
class FaultDrillTests {

	private static String outageDatabase;

	private static BrokerInstance broker;

	private static String auditDatabase;

	private static BrokerInstance smallAuditBuffer;

	private static FlakyTokenEndpoint flaky;

	@BeforeAll
	static void start() {
		flaky = FlakyTokenEndpoint.start();
		outageDatabase = TestDatabase.newDatabase("drill");
		Map<String, String> settings = new java.util.HashMap<>(Map.of("spring.datasource.hikari.connection-timeout",
				"1000", "spring.datasource.hikari.maximum-pool-size", "4", "broker.oauth.read-timeout", "8s"));
		settings.putAll(flaky.providerProperties());
		broker = BrokerInstance.start(outageDatabase, settings);
		auditDatabase = TestDatabase.newDatabase("drill_audit");
		smallAuditBuffer = BrokerInstance.start(auditDatabase,
				Map.of("broker.audit.buffer-capacity", "3", "broker.audit.enqueue-timeout", "0s",
						"broker.audit.log-json", "true", "spring.datasource.hikari.maximum-pool-size", "4"));
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (smallAuditBuffer != null) {
			smallAuditBuffer.close();
		}
		if (flaky != null) {
			flaky.close();
		}
	}

	@Test
	void databaseOutageIsAnswered503AndRecoveredFromWithNothingLost() throws Exception {
		BrokerClient client = broker.client();
		String token = ServiceTokens.forApp("app-outage-" + System.nanoTime());
		BrokerClient.Response page = OAuthDance.connect(client, token, MockIdp.TYPE);
		assertThat(page.body()).as(page.toString()).contains("Connected to");
		BrokerClient.Response first = client.get("/connectors/mockidp/connection", token);
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		String accessToken = first.json().get("accessToken").asString();

		int refusedReads = 0;
		admin(outageDatabase, "alter database %s allow_connections false");
		try {
			admin(outageDatabase, "select pg_terminate_backend(pid) from pg_stat_activity where datname = '%s'");
			// The replica serves its cached rows only while it hears the database; it stops once it notices the loss
			// of its listening session, which a loaded machine may take a moment to do.
			Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
				.until(() -> client.get("/connectors/mockidp/connection", token).status() == 503);
			for (int i = 0; i < 5; i++) {
				BrokerClient.Response read = client.get("/connectors/mockidp/connection", token);
				assertThat(read.status()).as(read.toString()).isEqualTo(503);
				assertThat(read.contentType()).startsWith("application/problem+json");
				assertThat(read.json().get("code").asString()).isEqualTo("service_unavailable");
				assertThat(read.header("Retry-After")).isNotNull();
				refusedReads++;
			}
		}
		finally {
			admin(outageDatabase, "alter database %s allow_connections true");
		}

		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
			.until(() -> client.get("/connectors/mockidp/connection", token).status() == 200);
		assertThat(client.get("/connectors/mockidp/connection", token).json().get("accessToken").asString())
			.isEqualTo(accessToken);
		int expected = refusedReads;
		Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
			.alias("the failed reads of the outage in the audit trail")
			.until(() -> AuditEventsProbe.events(client, token, "action=token.read&outcome=failure").size() >= expected);
		assertThat(AuditEventsProbe.events(client, token, "action=token.read&outcome=failure"))
			.allSatisfy((e) -> assertThat(e.get("reason").asString()).isEqualTo("service_unavailable"));
	}

	@Test
	void readsFailClosedWhileAuditRecordsCannotBeWrittenAndEveryServedReadIsRecorded() throws Exception {
		BrokerClient client = smallAuditBuffer.client();
		String app = "app-audit-drill-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client, token, MockIdp.TYPE);
		int served = (client.get("/connectors/mockidp/connection", token).status() == 200) ? 1 : 0;
		AuditEventsProbe.await(client, token, "action=token.read", AuditEventsProbe.action("token.read"));

		BrokerClient.Response refused = null;
		TestDatabase.execute(auditDatabase, "alter table audit_event rename to audit_event_held");
		try {
			for (int i = 0; i < 50 && refused == null; i++) {
				BrokerClient.Response read = client.get("/connectors/mockidp/connection", token);
				if (read.status() == 200) {
					served++;
				}
				else {
					refused = read;
				}
				Thread.sleep(50);
			}
			assertThat(refused).as("a read refused once the buffer is full").isNotNull();
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.json().get("code").asString()).isEqualTo("audit_unavailable");
			assertThat(refused.body()).doesNotContain("accessToken");
			BrokerClient.Response change = client.put("/connectors/mockidp", token, "{\"scopes\":[\"openid\"]}");
			assertThat(change.status()).isEqualTo(503);
		}
		finally {
			TestDatabase.execute(auditDatabase, "alter table audit_event_held rename to audit_event");
		}

		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
			.until(() -> client.get("/connectors/mockidp/connection", token).status() == 200);
		served++;
		assertThat(client.get("/connectors/mockidp", token).json().get("scopes").size()).isEqualTo(3);
		int expected = served;
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
			.until(() -> AuditEventsProbe.events(client, token, "action=token.read&outcome=success&limit=500")
				.size() == expected);
	}

	@Test
	void auditRecordsAreAlsoWrittenAsJsonLogLines() {
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		Logger events = context.getLogger("io.tokenbroker.audit.events");
		lines.setContext(context);
		lines.start();
		events.addAppender(lines);
		try {
			String app = "app-json-log-" + System.nanoTime();
			String token = ServiceTokens.forApp(app);
			OAuthDance.connect(smallAuditBuffer.client(), token, MockIdp.TYPE);
			String accessToken = smallAuditBuffer.client().get("/connectors/mockidp/connection", token).json()
				.get("accessToken").asString();
			JsonMapper json = JsonMapper.builder().build();
			JsonNode line = Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> List.copyOf(lines.list)
				.stream()
				.map((e) -> json.readTree(e.getFormattedMessage()))
				.filter((n) -> app.equals(n.get("appId").asString()) && "token.read".equals(n.get("action").asString()))
				.findFirst()
				.orElse(null), (n) -> n != null);
			assertThat(line.get("outcome").asString()).isEqualTo("success");
			assertThat(line.get("actor").asString()).isEqualTo("test-service");
			assertThat(line.get("connectorId").asString()).startsWith("con_");
			assertThat(List.copyOf(lines.list)).noneMatch((e) -> e.getFormattedMessage().contains(accessToken));
		}
		finally {
			events.detachAppender(lines);
		}
	}

	@Test
	void aProviderTokenEndpointThatIsDownFailsTheAuthorizationAndStoresNothing() {
		BrokerClient client = broker.client();
		String token = ServiceTokens.forApp("app-provider-down-" + System.nanoTime());
		BrokerClient.Response put = client.put("/connectors/" + MockIdp.TYPE_TOKEN_ENDPOINT_DOWN, token, "{}");
		BrokerClient.Response page = OAuthDance.followAuthorization(client, put.json().get("redirectUrl").asString());

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("was not connected");
		assertThat(client.get("/authorizations/" + put.json().get("authorizationId").asString(), token).json()
			.get("outcome").asString()).isEqualTo("FAILED");
		assertThat(client.get("/connectors/" + MockIdp.TYPE_TOKEN_ENDPOINT_DOWN + "/connection", token).json()
			.get("code").asString()).isEqualTo("not_connected");
		assertThat(AuditEventsProbe.await(client, token, "action=authorization.failed",
				AuditEventsProbe.action("authorization.failed")).get("reason").asString()).isEqualTo("network_error");
	}

	@Test
	void aProviderTokenEndpointAnswering503FailsTheAuthorizationAndStoresNothing() {
		BrokerClient client = broker.client();
		String token = ServiceTokens.forApp("app-provider-503-" + System.nanoTime());
		BrokerClient.Response put = client.put("/connectors/" + FlakyTokenEndpoint.FAILING, token, "{}");

		BrokerClient.Response page = OAuthDance.followAuthorization(client, put.json().get("redirectUrl").asString());

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("was not connected").contains("temporarily_unavailable");
		assertThat(client.get("/connectors/" + FlakyTokenEndpoint.FAILING + "/connection", token).json().get("code")
			.asString()).isEqualTo("not_connected");
	}

	@Test
	void aHangingProviderTokenEndpointTimesOutAndOtherProvidersStayUsable() throws Exception {
		BrokerClient client = broker.client();
		String token = ServiceTokens.forApp("app-provider-hang-" + System.nanoTime());
		BrokerClient.Response put = client.put("/connectors/" + FlakyTokenEndpoint.HANGING, token, "{}");
		String callback = OAuthDance.callbackUrl(client, put.json().get("redirectUrl").asString());
		var hanging = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.getUrl(callback, "text/html"));

		OAuthDance.connect(client, token, MockIdp.TYPE);
		long start = System.nanoTime();
		assertThat(client.get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

		BrokerClient.Response page = hanging.get(30, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("was not connected");
		assertThat(client.get("/connectors/" + FlakyTokenEndpoint.HANGING + "/connection", token).json().get("code")
			.asString()).isEqualTo("not_connected");
	}

	@Test
	void aRefreshLeaseLeftBehindByAKilledReplicaDoesNotBlockReads() throws Exception {
		BrokerClient client = broker.client();
		String app = "app-dead-lease-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client, token, MockIdp.TYPE);
		String before = client.get("/connectors/mockidp/connection", token).json().get("accessToken").asString();
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		try (Connection c = DriverManager.getConnection(outageDatabase, TestDatabase.username(), TestDatabase.password());
				var update = c.prepareStatement("""
						update connection set expires_at = ?, lease_owner = 'killed-replica', lease_until = ?
						where app_id = ?
						""")) {
			update.setObject(1, now.minusMinutes(1));
			update.setObject(2, now.minusSeconds(1));
			update.setString(3, app);
			assertThat(update.executeUpdate()).isEqualTo(1);
		}

		// A change made behind the broker's back reaches its connection cache through a notification, within
		// milliseconds rather than at once: read until the expired token is no longer served.
		long start = System.nanoTime();
		BrokerClient.Response read;
		do {
			read = client.get("/connectors/mockidp/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
		}
		while (read.json().get("accessToken").asString().equals(before)
				&& Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(read.json().get("accessToken").asString()).isNotEqualTo(before);
	}

	/** Runs a statement for {@code database} as the server's administrator, from the maintenance database. */
	private static void admin(String databaseUrl, String sql) throws SQLException {
		String name = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
		String maintenance = databaseUrl.substring(0, databaseUrl.lastIndexOf('/') + 1) + "postgres";
		TestDatabase.execute(maintenance, sql.formatted(name));
	}

}
