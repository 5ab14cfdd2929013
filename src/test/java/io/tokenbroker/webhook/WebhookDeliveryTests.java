package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.UserTokens;
import io.tokenbroker.support.WebhookReceiver;
import io.tokenbroker.support.WebhookReceiver.Received;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhooks through the public API: a broker on PostgreSQL, a strict authorization server, and a receiver on loopback
 * (allowed by the operator setting) that verifies every signature as the Standard Webhooks specification says.
 */
@RunsBesideSharedBrokers
class WebhookDeliveryTests {

	private static final String TYPE = "strictidp";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static StrictAuthorizationServer server;

	private static WebhookReceiver receiver;

	private static BrokerReplicas broker;

	@BeforeAll
	static void start() {
		server = StrictAuthorizationServer.start();
		receiver = WebhookReceiver.start();
		Map<String, String> settings = new LinkedHashMap<>(
				server.providerProperties(TYPE, StrictAuthorizationServer.CLIENT_ID));
		settings.put("broker.refresh.scheduler-enabled", "false");
		settings.put("broker.refresh.skew", "5s");
		settings.put("broker.webhooks.allowed-private-hosts", "127.0.0.1");
		settings.put("broker.webhooks.poll-interval", "100ms");
		settings.put("broker.webhooks.initial-backoff", "400ms");
		settings.put("broker.webhooks.max-backoff", "3s");
		settings.put("broker.webhooks.failing-after", "3");
		settings.put("broker.webhooks.refresh-failing-after", "1");
		settings.put("broker.security.user-token.hmac-secret", UserTokens.SECRET);
		settings.put("broker.refresh.backoff", "1s");
		settings.put("broker.refresh.max-backoff", "2s");
		broker = BrokerReplicas.start(1, settings);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (receiver != null) {
			receiver.close();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void connectingSendsOneSignedConnectionCreatedEventWithoutTokens() {
		String token = ServiceTokens.forApp("app-created");
		String secret = createEndpoint(token, "created", "[\"connection.created\"]").get("secret").asString();
		assertThat(secret).startsWith("whsec_");

		String accessToken = connect(token);

		Received event = receiver.await("created", (r) -> true, WAIT);
		assertThat(event.verifies(secret)).as("signature of %s", event).isTrue();
		assertThat(event.id()).startsWith("msg_");
		JsonNode json = event.json();
		assertThat(json.get("type").asString()).isEqualTo("connection.created");
		assertThat(Instant.parse(json.get("timestamp").asString())).isBefore(Instant.now());
		JsonNode data = json.get("data");
		assertThat(data.get("app_id").asString()).isEqualTo("app-created");
		assertThat(data.get("integration_type").asString()).isEqualTo(TYPE);
		assertThat(data.get("connection_id").asString()).startsWith("conn_");
		assertThat(data.get("app_user_id").isNull()).isTrue();
		assertThat(data.get("status").asString()).isEqualTo("active");
		assertThat(data.get("reason").asString()).isEqualTo("authorized");
		assertThat(data.get("sequence").asLong()).isPositive();
		assertThat(event.body()).doesNotContain(accessToken).doesNotContain("eyJ").doesNotContain(secret);
		sleep(500);
		assertThat(receiver.received("created")).hasSize(1);
	}

	@Test
	void anEndUsersConnectionAndDisconnectionAreSentWithTheirAppUserId() {
		String token = ServiceTokens.forApp("app-end-user");
		createEndpoint(token, "end-user", "[\"connection.created\", \"connection.disconnected\"]");
		BrokerClient.Response connector = client().put("/connectors/" + TYPE, token, "{}");
		assertThat(connector.status()).as(connector.toString()).isEqualTo(200);
		String connectorId = connector.json().get("connectorId").asString();
		String user = UserTokens.forUser("app-end-user", "user-a");
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect", user, null);
		assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
		assertThat(OAuthDance.followAuthorization(client(), connect.json().get("redirectUrl").asString()).status())
			.isEqualTo(200);
		Received created = receiver.await("end-user", (r) -> true, WAIT);

		assertThat(client().delete("/app-user-connectors/" + connectorId + "/connection", user).status())
			.isEqualTo(204);

		Received disconnected = receiver.await("end-user",
				(r) -> r.json().get("type").asString().equals("connection.disconnected"), WAIT);
		assertThat(created.json().get("type").asString()).isEqualTo("connection.created");
		assertThat(created.json().at("/data/app_user_id").asString()).isEqualTo("user-a");
		assertThat(disconnected.json().at("/data/app_user_id").asString()).isEqualTo("user-a");
		assertThat(disconnected.json().at("/data/reason").asString()).isEqualTo("deleted");
		assertThat(disconnected.json().at("/data/connection_id").asString())
			.isEqualTo(created.json().at("/data/connection_id").asString());
	}

	@Test
	void endpointsGetOnlyTheEventTypesTheySubscribedTo() {
		String token = ServiceTokens.forApp("app-filter");
		createEndpoint(token, "filter", "[\"connector.removed\"]");
		connect(token);

		assertThat(client().delete("/connectors/" + TYPE, token).status()).isEqualTo(204);

		Received removed = receiver.await("filter", (r) -> true, WAIT);
		assertThat(removed.json().get("type").asString()).isEqualTo("connector.removed");
		assertThat(removed.json().at("/data/reason").asString()).isEqualTo("removed");
		sleep(500);
		assertThat(receiver.received("filter")).hasSize(1);
	}

	@Test
	void secretRotationSignsWithBothSecretsDuringTheOverlapAndOnlyTheNewOneAfter() {
		String token = ServiceTokens.forApp("app-rotation");
		JsonNode created = createEndpoint(token, "rotation", null);
		String id = created.at("/endpoint/id").asString();
		String old = created.get("secret").asString();

		BrokerClient.Response rotated = client().post("/webhooks/endpoints/" + id + "/rotate-secret", token,
				"{\"overlapSeconds\": 3600}");
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		String fresh = rotated.json().get("secret").asString();
		assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
		String duringId = sendTest(token, id);
		Received during = receiver.await("rotation", (r) -> r.id().equals(duringId), WAIT);
		assertThat(during.signature().split(" ")).hasSize(2);
		assertThat(during.verifies(fresh)).isTrue();
		assertThat(during.verifies(old)).isTrue();

		String newest = client().post("/webhooks/endpoints/" + id + "/rotate-secret", token, "{\"overlapSeconds\": 0}")
			.json()
			.get("secret")
			.asString();
		String afterId = sendTest(token, id);
		Received after = receiver.await("rotation", (r) -> r.id().equals(afterId), WAIT);
		assertThat(after.verifies(newest)).isTrue();
		assertThat(after.verifies(fresh)).isFalse();
		assertThat(after.verifies(old)).isFalse();
		assertThat(client().get("/webhooks/endpoints/" + id, token).body()).doesNotContain("whsec_");
	}

	@Test
	void aReceiverThatIsDownGetsTheEventOnceItRecoversWithTheBackoffInTheLog() {
		String token = ServiceTokens.forApp("app-outage");
		String secret = createEndpoint(token, "outage", null).get("secret").asString();
		String id = endpointId(token);
		receiver.answer("outage", 503, null);

		String eventId = sendTest(token, id);
		awaitAttempts(token, id, 4);
		assertThat(client().get("/webhooks/endpoints/" + id, token).json().get("status").asString())
			.isEqualTo("failing");
		receiver.answer("outage", 204, null);

		Received delivered = receiver.await("outage", (r) -> r.id().equals(eventId), WAIT);
		assertThat(delivered.verifies(secret)).isTrue();
		assertThat(receiver.received("outage")).allSatisfy((r) -> assertThat(r.id()).isEqualTo(eventId));
		JsonNode delivery = awaitDelivery(token, id, "delivered");
		List<Long> plannedDelays = new ArrayList<>();
		for (JsonNode attempt : delivery.get("attemptLog")) {
			if (!attempt.get("nextAttemptAt").isNull()) {
				assertThat(attempt.get("statusCode").asInt()).isEqualTo(503);
				plannedDelays.add(Duration.between(Instant.parse(attempt.get("at").asString()),
						Instant.parse(attempt.get("nextAttemptAt").asString())).toMillis());
			}
		}
		assertThat(plannedDelays).hasSizeGreaterThanOrEqualTo(4);
		for (int attempt = 1; attempt <= plannedDelays.size(); attempt++) {
			// Doubling from 400 ms up to 3 s, each delay drawn between half of that and all of it (so two delays in a
			// row may overlap once the cap is near; their bounds may not).
			long full = Math.min(3000, 400L << (attempt - 1));
			assertThat(plannedDelays.get(attempt - 1)).as("delay after attempt %d", attempt)
				.isBetween(full / 2 - 50, full + 50);
		}
		assertThat(plannedDelays.get(plannedDelays.size() - 1)).isGreaterThan(plannedDelays.get(0));
		assertThat(delivery.get("attempts").asInt()).isEqualTo(plannedDelays.size() + 1);
		assertThat(client().get("/webhooks/endpoints/" + id, token).json().get("status").asString())
			.isEqualTo("enabled");
	}

	@Test
	void retryAfterFromTheReceiverIsHonoured() {
		String token = ServiceTokens.forApp("app-retry-after");
		createEndpoint(token, "retry-after", null);
		String id = endpointId(token);
		receiver.answer("retry-after", 429, "2");

		sendTest(token, id);
		JsonNode first = awaitAttempts(token, id, 1).get("attemptLog").get(0);
		receiver.answer("retry-after", 204, null);

		assertThat(first.get("statusCode").asInt()).isEqualTo(429);
		assertThat(Duration.between(Instant.parse(first.get("at").asString()),
				Instant.parse(first.get("nextAttemptAt").asString()))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		JsonNode delivered = awaitDelivery(token, id, "delivered");
		assertThat(Duration.between(Instant.parse(first.get("at").asString()),
				Instant.parse(delivered.get("lastAttemptAt").asString()))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aRefreshTokenRevokedAtTheAuthorizationServerSendsExactlyOneReauthorizationRequired() {
		String token = ServiceTokens.forApp("app-revoked");
		String secret = createEndpoint(token, "revoked", "[\"connection.reauthorization_required\"]").get("secret")
			.asString();
		JsonNode connection = connectWithTokenDueSoon(token);
		server.revokeGrantOf(connection.get("accessToken").asString());

		for (int i = 0; i < 3; i++) {
			BrokerClient.Response read = client().get("/connectors/" + TYPE + "/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(409);
		}

		Received event = receiver.await("revoked", (r) -> true, WAIT);
		assertThat(event.verifies(secret)).isTrue();
		assertThat(event.json().get("type").asString()).isEqualTo("connection.reauthorization_required");
		assertThat(event.json().at("/data/status").asString()).isEqualTo("expired");
		assertThat(event.json().at("/data/reason").asString()).isEqualTo("grant_invalid");
		sleep(1_000);
		assertThat(receiver.received("revoked")).hasSize(1);
	}

	@Test
	void refreshesFailingAtTheAuthorizationServerSendRefreshFailingThenRecovered() {
		String token = ServiceTokens.forApp("app-failing");
		String secret = createEndpoint(token, "failing",
				"[\"connection.refresh_failing\", \"connection.recovered\"]").get("secret").asString();
		JsonNode connection = connectWithTokenDueSoon(token);
		server.tokenEndpoint().down(true);
		try {
			BrokerClient.Response read = client().get("/connectors/" + TYPE + "/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			Received failing = receiver.await("failing", (r) -> true, WAIT);
			assertThat(failing.verifies(secret)).isTrue();
			assertThat(failing.json().get("type").asString()).isEqualTo("connection.refresh_failing");
			assertThat(failing.json().at("/data/status").asString()).isEqualTo("active");
		}
		finally {
			server.tokenEndpoint().down(false);
		}

		Instant deadline = Instant.now().plus(WAIT);
		String accessToken = connection.get("accessToken").asString();
		while (accessToken.equals(connection.get("accessToken").asString()) && Instant.now().isBefore(deadline)) {
			sleep(250);
			accessToken = client().get("/connectors/" + TYPE + "/connection", token).json().get("accessToken").asString();
		}
		Received recovered = receiver.await("failing",
				(r) -> r.json().get("type").asString().equals("connection.recovered"), WAIT);
		assertThat(recovered.verifies(secret)).isTrue();
		assertThat(recovered.json().at("/data/sequence").asLong())
			.isGreaterThan(receiver.received("failing").get(0).json().at("/data/sequence").asLong());
	}

	@Test
	void deliveriesAndTheQueueAreInTheMetrics() {
		String token = ServiceTokens.forApp("app-metrics");
		createEndpoint(token, "metrics", null);
		String id = endpointId(token);
		String eventId = sendTest(token, id);
		receiver.await("metrics", (r) -> r.id().equals(eventId), WAIT);

		String metrics = broker.managementClient(0).get("/actuator/prometheus", null).body();
		assertThat(metrics).contains("broker_webhooks_deliveries_total{outcome=\"delivered\"}")
			.contains("broker_webhooks_queue_depth")
			.contains("broker_webhooks_queue_oldest_age_seconds")
			.contains("broker_webhooks_endpoints_failing")
			.contains("broker_webhooks_delivery_lag_seconds_count");
	}

	@Test
	void badEndpointUrlsAndEventTypesAreRefusedWithAProblemAndNothingIsStored() {
		String token = ServiceTokens.forApp("app-bad-input");
		List<String> urls = List.of("http://10.0.0.1/hook", "http://localhost/hook", "http://169.254.169.254/latest",
				"http://[::1]/hook", "http://2130706433/hook", "ftp://example.com/hook", "javascript:alert(1)",
				"not a url", "https://user:password@example.com/hook", "", "http:///hook", "http://127.0.0.1:99999/hook",
				"https://example.com/hook#fragment");
		for (String url : urls) {
			BrokerClient.Response response = client().post("/webhooks/endpoints", token,
					"{\"url\": \"" + url + "\"}");
			assertProblem(response, 400, url);
		}
		assertProblem(client().post("/webhooks/endpoints", token,
				"{\"url\": \"" + receiver.url("bad") + "\", \"eventTypes\": [\"connection.exploded\"]}"), 400, "type");
		assertProblem(client().post("/webhooks/endpoints", token, "{\"url\": 42, "), 400, "malformed JSON");
		assertThat(client().get("/webhooks/endpoints", token).json().get("endpoints")).isEmpty();

		createEndpoint(token, "bad", "[\"connection.created\"]");
		String id = endpointId(token);
		assertProblem(patch("/webhooks/endpoints/" + id, token, "{\"url\": \"http://10.1.2.3/\"}"), 400, "patch url");
		assertProblem(patch("/webhooks/endpoints/" + id, token, "{\"eventTypes\": [\"nope\"]}"), 400, "patch type");
		assertProblem(patch("/webhooks/endpoints/" + id, token, "{\"description\": \"hook \\ud800\"}"), 400,
				"patch description with half a surrogate pair");
		JsonNode unchanged = client().get("/webhooks/endpoints/" + id, token).json();
		assertThat(unchanged.get("url").asString()).isEqualTo(receiver.url("bad"));
		assertThat(unchanged.get("eventTypes")).hasSize(1);
		assertThat(unchanged.get("description").isNull()).isTrue();
	}

	@Test
	void aUnicodeHostIsCheckedAndStoredInItsAsciiForm() {
		String token = ServiceTokens.forApp("app-idn");
		// The reserved .example domain never resolves: refused for that, like any other name that does not.
		BrokerClient.Response unresolved = client().post("/webhooks/endpoints", token,
				"{\"url\": \"https://bücher.example/hook\"}");
		assertProblem(unresolved, 400, "bücher.example");
		assertThat(unresolved.json().get("detail").asString()).isEqualTo("The host of 'url' does not resolve.");
		// Fullwidth letters are the same name as ASCII ones, and the address rules apply to that name.
		BrokerClient.Response loopback = client().post("/webhooks/endpoints", token,
				"{\"url\": \"http://ｌｏｃａｌｈｏｓｔ/hook\"}");
		assertProblem(loopback, 400, "fullwidth localhost");
		assertThat(loopback.json().get("detail").asString()).contains("loopback");
		assertThat(client().get("/webhooks/endpoints", token).json().get("endpoints")).isEmpty();

		// The receiver's address (allowed by the operator setting) in fullwidth digits: a host that needs no DNS.
		String url = receiver.url("idn");
		BrokerClient.Response created = client().post("/webhooks/endpoints", token,
				"{\"url\": \"" + url.replace("127.0.0.1", "１２７.０.０.１") + "\"}");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().at("/endpoint/url").asString()).isEqualTo(url);
		assertThat(client().get("/webhooks/endpoints", token).json().at("/endpoints/0/url").asString()).isEqualTo(url);
	}

	@Test
	void endpointsBelongToTheirAppAndNeedTheAdminScope() {
		String token = ServiceTokens.forApp("app-owner");
		createEndpoint(token, "owner", null);
		String id = endpointId(token);
		String other = ServiceTokens.forApp("app-other");

		assertProblem(client().get("/webhooks/endpoints/" + id, other), 404, "other app");
		assertProblem(client().delete("/webhooks/endpoints/" + id, other), 404, "other app");
		assertThat(client().get("/webhooks/endpoints", other).json().get("endpoints")).isEmpty();
		assertProblem(client().get("/webhooks/endpoints", ServiceTokens.forApp("app-owner", ServiceTokens.READ)), 403,
				"read scope");
		assertThat(client().delete("/webhooks/endpoints/" + id, token).status()).isEqualTo(204);
		assertProblem(client().get("/webhooks/endpoints/" + id, token), 404, "deleted");
	}

	@Test
	void theDeliveryLogPagesNewestFirst() {
		String token = ServiceTokens.forApp("app-paging");
		createEndpoint(token, "paging", null);
		String id = endpointId(token);
		List<String> sent = List.of(sendTest(token, id), sendTest(token, id), sendTest(token, id));
		for (String eventId : sent) {
			receiver.await("paging", (r) -> r.id().equals(eventId), WAIT);
		}

		JsonNode first = client().get("/webhooks/endpoints/" + id + "/deliveries?limit=2", token).json();
		assertThat(first.get("deliveries")).hasSize(2);
		assertThat(first.at("/deliveries/0/eventId").asString()).isEqualTo(sent.get(2));
		JsonNode second = client()
			.get("/webhooks/endpoints/" + id + "/deliveries?limit=2&cursor=" + first.get("nextCursor").asString(), token)
			.json();
		assertThat(second.get("deliveries")).hasSize(1);
		assertThat(second.at("/deliveries/0/eventId").asString()).isEqualTo(sent.get(0));
		assertThat(second.get("nextCursor").isNull()).isTrue();
		assertProblem(client().get("/webhooks/endpoints/" + id + "/deliveries?limit=0", token), 400, "limit");
	}

	@Test
	void anEventIsWrittenOnlyWithinTheTransactionOfItsChange() {
		Outbox outbox = broker.context(0).getBean(Outbox.class);
		JdbcClient jdbc = broker.context(0).getBean(JdbcClient.class);
		ConnectionChange change = ConnectionChange.ofConnector(EventType.CONNECTOR_REMOVED, "app-tx", TYPE, "con_x",
				"removed");
		TransactionTemplate transaction = new TransactionTemplate(
				broker.context(0).getBean(PlatformTransactionManager.class));

		assertThatThrownBy(() -> outbox.append(change)).isInstanceOf(IllegalTransactionStateException.class);
		transaction.executeWithoutResult((tx) -> {
			outbox.append(change);
			tx.setRollbackOnly();
		});
		assertThat(jdbc.sql("select count(*) from webhook_event where app_id = 'app-tx'").query(Long.class).single())
			.isZero();
		transaction.executeWithoutResult((tx) -> outbox.append(change));
		assertThat(jdbc.sql("select count(*) from webhook_event where app_id = 'app-tx'").query(Long.class).single())
			.isOne();
	}

	@Test
	void eventsOfOneConnectionArriveInOrderAndOneFailingEventHoldsBackOnlyItsConnection() {
		String token = ServiceTokens.forApp("app-order");
		createEndpoint(token, "order", null);
		receiver.answer("order", 503, null);
		Outbox outbox = broker.context(0).getBean(Outbox.class);
		TransactionTemplate transaction = new TransactionTemplate(
				broker.context(0).getBean(PlatformTransactionManager.class));
		List<EventType> types = List.of(EventType.CONNECTION_CREATED, EventType.CONNECTION_DISCONNECTED,
				EventType.CONNECTION_RESTORED);
		for (EventType type : types) {
			transaction.executeWithoutResult((tx) -> outbox.append(new ConnectionChange(type, "app-order", TYPE,
					"con_order", "conn_order_a", null, "active", "test")));
		}
		transaction.executeWithoutResult((tx) -> outbox.append(new ConnectionChange(EventType.CONNECTION_CREATED,
				"app-order", TYPE, "con_order", "conn_order_b", null, "active", "authorized")));

		// The first event of connection a is retried; b's event is tried meanwhile, a's later events are not.
		Instant deadline = Instant.now().plus(WAIT);
		while (receiver.received("order").stream().filter((r) -> connectionOf(r).equals("conn_order_a")).count() < 3
				|| receiver.received("order").stream().noneMatch((r) -> connectionOf(r).equals("conn_order_b"))) {
			assertThat(Instant.now()).as("retries of a's first event, and b's event").isBefore(deadline);
			sleep(100);
		}
		List<Received> whileFailing = receiver.received("order").stream()
			.filter((r) -> connectionOf(r).equals("conn_order_a"))
			.toList();
		assertThat(whileFailing).extracting((r) -> r.json().get("type").asString())
			.containsOnly("connection.created");
		receiver.answer("order", 204, null);

		receiver.await("order", (r) -> r.json().get("type").asString().equals("connection.restored"), WAIT);
		List<Received> ofA = receiver.received("order").stream()
			.filter((r) -> connectionOf(r).equals("conn_order_a"))
			.toList();
		List<Long> sequences = ofA.stream().map((r) -> r.json().at("/data/sequence").asLong()).toList();
		assertThat(sequences).as("attempts of a, as they arrived").isSorted();
		assertThat(receiver.accepted("order").stream().filter((r) -> connectionOf(r).equals("conn_order_a")))
			.extracting((r) -> r.json().get("type").asString())
			.containsExactly("connection.created", "connection.disconnected", "connection.restored");
	}

	private static String connectionOf(Received received) {
		return received.json().at("/data/connection_id").asString();
	}

	private static JsonNode createEndpoint(String token, String name, String eventTypes) {
		String body = "{\"url\": \"" + receiver.url(name) + "\""
				+ ((eventTypes != null) ? ", \"eventTypes\": " + eventTypes : "") + "}";
		BrokerClient.Response response = client().post("/webhooks/endpoints", token, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		assertThat(response.header("Cache-Control")).isEqualTo("no-store");
		return response.json();
	}

	private static String endpointId(String token) {
		return client().get("/webhooks/endpoints", token).json().at("/endpoints/0/id").asString();
	}

	private static String sendTest(String token, String id) {
		BrokerClient.Response response = client().post("/webhooks/endpoints/" + id + "/test", token, null);
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		return response.json().get("eventId").asString();
	}

	/** The endpoint's newest delivery once it has made at least {@code attempts} attempts. */
	private static JsonNode awaitAttempts(String token, String id, int attempts) {
		return awaitLatest(token, id, (d) -> d.get("attempts").asInt() >= attempts, attempts + " attempts");
	}

	private static JsonNode awaitDelivery(String token, String id, String status) {
		return awaitLatest(token, id, (d) -> d.get("status").asString().equals(status), status);
	}

	private static JsonNode awaitLatest(String token, String id, java.util.function.Predicate<JsonNode> condition,
			String what) {
		Instant deadline = Instant.now().plus(WAIT);
		JsonNode latest = null;
		while (Instant.now().isBefore(deadline)) {
			latest = client().get("/webhooks/endpoints/" + id + "/deliveries", token).json().at("/deliveries/0");
			if (!latest.isMissingNode() && condition.test(latest)) {
				return latest;
			}
			sleep(100);
		}
		throw new AssertionError("No delivery with " + what + " within " + WAIT + ": " + latest);
	}

	private static String connect(String token) {
		return connectAndRead(token).get("accessToken").asString();
	}

	/** Connects with a token that a read refreshes once this returns (the read just after connecting does not). */
	private static JsonNode connectWithTokenDueSoon(String token) {
		// Issued for 9 s and refreshed on read within 3 s of expiry (the 5 s skew, capped at a third of the lifetime):
		// due 6 s after it was issued, which leaves connecting and the first read 6 s.
		server.accessTokenLifetime(Duration.ofSeconds(9));
		JsonNode connection;
		try {
			connection = connectAndRead(token);
		}
		finally {
			server.accessTokenLifetime(Duration.ofMinutes(5));
		}
		Instant expiresAt = Instant.parse(connection.get("expiresAt").asString());
		assertThat(expiresAt).as("the token issued at connect time, not yet refreshed by the first read")
			.isBefore(Instant.now().plusSeconds(9));
		Instant due = expiresAt.minusSeconds(3);
		sleep(Math.max(0, Duration.between(Instant.now(), due.plusMillis(500)).toMillis()));
		return connection;
	}

	/** Connects through the real flow and reads the connection once. */
	private static JsonNode connectAndRead(String token) {
		BrokerClient.Response callback = OAuthDance.connect(client(), token, TYPE);
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		BrokerClient.Response read = client().get("/connectors/" + TYPE + "/connection", token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json();
	}

	private static void assertProblem(BrokerClient.Response response, int status, String what) {
		assertThat(response.status()).as("%s: %s", what, response).isEqualTo(status);
		assertThat(response.contentType()).as(what).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).as(what).isNotBlank();
	}

	static BrokerClient.Response patch(String path, String token, String json) {
		return client().send(client().request(path, token)
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private static BrokerClient client() {
		return broker.client(0);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
