package io.tokenbroker.audit;

import static io.tokenbroker.support.AuditEventsProbe.action;
import static io.tokenbroker.support.AuditEventsProbe.await;
import static io.tokenbroker.support.AuditEventsProbe.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every token read and every change leaves an audit record that the app (and only the app) can query. */
class AuditTrailTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	AuditRetention retention;

	private final String app = "app-audit-" + System.nanoTime();

	private final String token = ServiceTokens.forApp(this.app);

	@Test
	void tokenReadIsRecordedWithActorRequestIdAndClientAddress() {
		OAuthDance.connect(client(), this.token, MockIdp.TYPE);
		String connectorId = client().get("/connectors/mockidp", this.token).json().get("connectorId").asString();
		HttpRequest read = client().request("/connectors/mockidp/connection", this.token)
			.header("X-Request-Id", "req-audit-1")
			.GET()
			.build();
		BrokerClient.Response response = client().send(read);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("X-Request-Id")).isEqualTo("req-audit-1");

		JsonNode event = await(client(), this.token, "action=token.read",
				(e) -> "req-audit-1".equals(e.get("requestId").asString()));
		assertThat(event.get("appId").asString()).isEqualTo(this.app);
		assertThat(event.get("actor").asString()).isEqualTo("test-service");
		assertThat(event.get("integrationType").asString()).isEqualTo("mockidp");
		assertThat(event.get("connectorId").asString()).isEqualTo(connectorId);
		assertThat(event.get("appUserId").asString()).isEmpty();
		assertThat(event.get("outcome").asString()).isEqualTo("success");
		assertThat(event.get("clientAddress").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
		assertThat(event.get("time").asString()).isNotEmpty();
		assertThat(event.toString()).doesNotContain(response.json().get("accessToken").asString());
	}

	@Test
	void withoutAnIncomingIdTheResponseAndTheAuditRecordCarryTheSameNewId() {
		BrokerClient.Response response = client().get("/connectors/mockidp/connection", this.token);
		assertThat(response.status()).isEqualTo(404);
		String id = response.header("X-Request-Id");
		assertThat(id).isNotBlank();

		JsonNode event = await(client(), this.token, "action=token.read", action("token.read"));
		assertThat(event.get("requestId").asString()).isEqualTo(id);
	}

	@Test
	void onABase44RouteWithoutAnIncomingIdTheResponseAndTheAuditRecordCarryTheSameNewId() {
		BrokerClient.Response response = client().get("/api/apps/" + this.app + "/external-auth/tokens/mockidp",
				this.token);
		assertThat(response.status()).isEqualTo(404);
		String id = response.header("X-Request-ID");
		assertThat(id).isNotBlank();

		JsonNode event = await(client(), this.token, "action=token.read", action("token.read"));
		assertThat(event.get("requestId").asString()).isEqualTo(id);
	}

	@Test
	void anIncomingIdIsEchoedUnderEitherSpellingOfTheHeaderName() {
		for (String name : List.of("X-Request-Id", "X-Request-ID", "x-request-id")) {
			HttpRequest read = client().request("/connectors/mockidp/connection", this.token)
				.header(name, "req-spelling")
				.GET()
				.build();
			assertThat(client().send(read).header("X-Request-Id")).as(name).isEqualTo("req-spelling");
		}
	}

	@Test
	void anIdThatIsNotAPlainTokenOfAtMost64CharactersIsReplacedNotReflected() {
		for (String given : List.of("a".repeat(65), "req id", "req<script>")) {
			HttpRequest read = client().request("/api/apps/" + this.app + "/external-auth/tokens/mockidp", this.token)
				.header("X-Request-ID", given)
				.GET()
				.build();
			String echoed = client().send(read).header("X-Request-Id");
			assertThat(echoed).as(given).isNotEqualTo(given).matches("[0-9a-f-]{36}");
		}
	}

	@Test
	void recordedValuesAreKeptExactlyWhateverCharactersTheyHold() {
		// Backslashes, COPY's null marker and separators: the records travel in COPY's text format.
		String subject = "svc\\N \\t\\\\ \"quoted\" ünï \tsplit\nline";
		String token = ServiceTokens.sign(ServiceTokens.SECRET,
				java.util.Map.of("app_id", this.app, "scope", "connectors:read connectors:admin", "sub", subject),
				java.time.Duration.ofMinutes(5));
		assertThat(client().get("/connectors/mockidp/connection", token).status()).isEqualTo(404);

		JsonNode event = await(client(), this.token, "action=token.read", action("token.read"));

		// Control characters become spaces before the record is made; everything else is kept as it was.
		assertThat(event.get("actor").asString()).isEqualTo("svc\\N \\t\\\\ \"quoted\" ünï  split line");
	}

	@Test
	void refusedReadIsRecordedAsFailureWithItsCode() {
		assertThat(client().get("/connectors/mockidp/connection", this.token).status()).isEqualTo(404);
		JsonNode event = await(client(), this.token, "action=token.read", action("token.read"));
		assertThat(event.get("outcome").asString()).isEqualTo("failure");
		assertThat(event.get("reason").asString()).isEqualTo("connector_not_found");
	}

	@Test
	void connectorLifecycleIsRecordedInOrder() {
		OAuthDance.connect(client(), this.token, MockIdp.TYPE);
		client().put("/connectors/mockidp", this.token, "{}");
		assertThat(client().delete("/connectors/mockidp", this.token).status()).isEqualTo(204);
		await(client(), this.token, null, action("connector.removed"));
		List<String> actions = new ArrayList<>();
		events(client(), this.token, null).forEach((e) -> actions.add(0, e.get("action").asString()));
		assertThat(actions).containsSubsequence("connector.created", "authorization.started",
				"authorization.completed", "connector.updated", "connector.removed");
	}

	@Test
	void callbackEventsNameTheSubjectThatStartedTheAuthorization() {
		String starter = ServiceTokens.sign(ServiceTokens.SECRET,
				java.util.Map.of("app_id", this.app, "scope", "connectors:admin connectors:read", "sub", "ops-console"),
				java.time.Duration.ofMinutes(5));
		OAuthDance.connect(client(), starter, MockIdp.TYPE);
		JsonNode completed = await(client(), this.token, "action=authorization.completed",
				action("authorization.completed"));
		assertThat(completed.get("actor").asString()).isEqualTo("ops-console");
	}

	@Test
	void deniedConsentAndReusedStateAreRecordedAsFailedAuthorizations() {
		BrokerClient.Response put = client().put("/connectors/mockidp", this.token, "{}");
		String state = OAuthDance.query(put.json().get("redirectUrl").asString()).get("state");
		String callback = client().baseUrl() + "/oauth/callback?state=" + state + "&error=access_denied";
		client().getUrl(callback, "text/html");
		client().getUrl(callback, "text/html");
		await(client(), this.token, "action=authorization.failed&outcome=failure",
				(e) -> "state_reused".equals(e.get("reason").asString()));
		Set<String> reasons = events(client(), this.token, "action=authorization.failed").stream()
			.map((e) -> e.get("reason").asString())
			.collect(Collectors.toSet());
		assertThat(reasons).containsExactlyInAnyOrder("access_denied", "state_reused");
	}

	@Test
	void anotherAppSeesNoneOfTheEvents() {
		OAuthDance.connect(client(), this.token, MockIdp.TYPE);
		await(client(), this.token, null, action("authorization.completed"));
		String other = ServiceTokens.forApp("app-audit-other-" + System.nanoTime());
		assertThat(events(client(), other, null)).isEmpty();
	}

	@Test
	void readScopeCannotListEvents() {
		BrokerClient.Response response = client().get("/audit-events",
				ServiceTokens.forApp(this.app, ServiceTokens.READ));
		assertThat(response.status()).isEqualTo(403);
	}

	@Test
	void filtersNarrowTheEvents() {
		OAuthDance.connect(client(), this.token, MockIdp.TYPE);
		client().get("/connectors/mockidp/connection", this.token);
		String connectorId = await(client(), this.token, "action=token.read", action("token.read"))
			.get("connectorId").asString();
		assertThat(events(client(), this.token, "action=connector.created")).hasSize(1);
		assertThat(events(client(), this.token, "connectorId=" + connectorId)).hasSizeGreaterThanOrEqualTo(4);
		assertThat(events(client(), this.token, "connectorId=con_nothing")).isEmpty();
		assertThat(events(client(), this.token, "actor=test-service")).hasSizeGreaterThanOrEqualTo(4);
		assertThat(events(client(), this.token, "actor=someone-else")).isEmpty();
		assertThat(events(client(), this.token, "from=2000-01-01T00:00:00Z")).hasSizeGreaterThanOrEqualTo(4);
		assertThat(events(client(), this.token, "to=2000-01-01T00:00:00Z")).isEmpty();
		assertThat(events(client(), this.token, "outcome=failure")).isEmpty();
	}

	@Test
	void pagesAreDisjointAndEndWithoutCursor() {
		OAuthDance.connect(client(), this.token, MockIdp.TYPE);
		// created, authorization started and completed, three reads
		for (int i = 0; i < 3; i++) {
			client().get("/connectors/mockidp/connection", this.token);
		}
		awaitCount(6);
		List<String> ids = new ArrayList<>();
		String cursor = null;
		do {
			BrokerClient.Response page = client().get(
					"/audit-events?limit=2" + ((cursor != null) ? "&cursor=" + cursor : ""), this.token);
			page.json().get("events").forEach((e) -> ids.add(e.get("id").asString()));
			JsonNode next = page.json().get("nextCursor");
			cursor = (next == null || next.isNull()) ? null : next.asString();
		}
		while (cursor != null);
		assertThat(ids).hasSize(6).doesNotHaveDuplicates();
		assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(b), Long.parseLong(a)));
	}

	@Test
	void badFiltersAreRejected() {
		for (String query : List.of("from=yesterday", "to=2026-13-01T00:00:00Z", "action=DROP%20TABLE",
				"connectorId=%27%20or%201%3D1", "outcome=maybe", "limit=0", "limit=100000", "limit=abc",
				"cursor=-1", "cursor=abc", "actor=")) {
			BrokerClient.Response response = client().get("/audit-events?" + query, this.token);
			assertThat(response.status()).as(query + " -> " + response).isEqualTo(400);
			assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
		}
	}

	@Test
	void purgeDeletesOnlyRecordsPastRetention() {
		OAuthDance.connect(client(), this.token, MockIdp.TYPE);
		await(client(), this.token, null, action("authorization.completed"));
		this.jdbc.update("""
				insert into audit_event (occurred_at, app_id, actor, action, outcome)
				values (?, ?, 'old-service', 'token.read', 'SUCCESS')
				""", OffsetDateTime.now(ZoneOffset.UTC).minusDays(400), this.app);
		assertThat(events(client(), this.token, "actor=old-service")).hasSize(1);

		this.retention.purge();

		assertThat(events(client(), this.token, "actor=old-service")).isEmpty();
		assertThat(events(client(), this.token, "action=authorization.completed")).hasSize(1);
	}

	private void awaitCount(int count) {
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(15))
			.until(() -> events(client(), this.token, "limit=500").size() >= count);
	}

}
