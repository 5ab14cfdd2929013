package io.tokenbroker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.test.context.TestPropertySource;

/**
 * Abuse limits through HTTP: rate limits per caller and per app with 429 and Retry-After, limits per configured route
 * group, header size, JSON nesting depth, and slow clients.
 */
@TestPropertySource(properties = { "broker.limits.groups.reads.per-caller.capacity=5",
		"broker.limits.groups.reads.per-caller.period=1m", "broker.limits.groups.reads.per-app.capacity=8",
		"broker.limits.groups.reads.per-app.period=1m", "broker.limits.groups.authorizations.per-caller.capacity=3",
		"broker.limits.groups.catalog.routes[0]=GET /integrations",
		"broker.limits.groups.catalog.per-caller.capacity=2", "broker.limits.groups.catalog.per-caller.period=1h",
		"server.tomcat.connection-timeout=2s" })
class LimitsTests extends PostgresBrokerTestBase {

	private final String app = "app-limits-" + System.nanoTime();

	@Test
	void tokenReadsBeyondTheCallersLimitAreRefusedWithRetryAfter() {
		String token = ServiceTokens.forApp(this.app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		for (int i = 0; i < 5; i++) {
			assertThat(client().get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		}
		BrokerClient.Response refused = client().get("/connectors/mockidp/connection", token);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("code").asString()).isEqualTo("rate_limited");
		assertThat(refused.json().get("limit").asString()).isEqualTo("caller");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
		assertThat(refused.body()).doesNotContain("accessToken");
	}

	@Test
	void callersOfOneAppShareTheAppsLimit() {
		String first = token("service-a");
		OAuthDance.connect(client(), first, MockIdp.TYPE);
		for (int i = 0; i < 5; i++) {
			assertThat(client().get("/connectors/mockidp/connection", first).status()).isEqualTo(200);
		}
		String second = token("service-b");
		for (int i = 0; i < 3; i++) {
			assertThat(client().get("/connectors/mockidp/connection", second).status()).isEqualTo(200);
		}
		BrokerClient.Response refused = client().get("/connectors/mockidp/connection", second);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().get("limit").asString()).isEqualTo("app");
	}

	@Test
	void anotherAppKeepsItsOwnBudget() {
		String busy = ServiceTokens.forApp(this.app);
		OAuthDance.connect(client(), busy, MockIdp.TYPE);
		for (int i = 0; i < 6; i++) {
			client().get("/connectors/mockidp/connection", busy);
		}
		String other = ServiceTokens.forApp(this.app + "-other");
		OAuthDance.connect(client(), other, MockIdp.TYPE);
		assertThat(client().get("/connectors/mockidp/connection", other).status()).isEqualTo(200);
	}

	@Test
	void authorizationStartsAreLimitedAcrossTheirRoutes() {
		String token = ServiceTokens.forApp(this.app);
		assertThat(client().put("/connectors/mockidp", token, "{}").status()).isEqualTo(200);
		assertThat(client().post("/connectors/mockidp/authorize", token, null).status()).isEqualTo(200);
		assertThat(client().put("/connectors/mockidp", token, "{}").status()).isEqualTo(200);
		BrokerClient.Response refused = client().post("/connectors/mockidp/authorize", token, null);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.json().get("group").asString()).isEqualTo("authorizations");
	}

	@Test
	void aRouteGroupFromConfigurationIsLimited() {
		String token = ServiceTokens.forApp(this.app);
		assertThat(client().get("/integrations", token).status()).isEqualTo(200);
		assertThat(client().get("/integrations", token).status()).isEqualTo(200);
		BrokerClient.Response refused = client().get("/integrations", token);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(Long.parseLong(refused.header("Retry-After"))).isGreaterThan(60L);
		// Routes outside every group are not counted.
		assertThat(client().get("/connectors", token).status()).isEqualTo(200);
	}

	@Test
	void rejectionsAreCountedInMetrics() {
		String token = ServiceTokens.forApp(this.app);
		for (int i = 0; i < 3; i++) {
			client().get("/integrations", token);
		}
		String metrics = managementClient().get("/actuator/prometheus", null).body();
		assertThat(metrics).containsPattern("broker_limits_rejected_total\\{[^}]*group=\"catalog\"[^}]*scope=\"caller\"");
	}

	@Test
	void oversizeHeadersAreRefusedAsAProblem() {
		HttpRequest request = client().request("/connectors", ServiceTokens.forApp(this.app))
			.header("X-Padding", "a".repeat(20_000))
			.GET()
			.build();
		BrokerClient.Response response = client().send(request);
		assertThat(response.status()).isBetween(400, 431);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void jsonNestedBeyondTheDepthLimitIsRefused() {
		String token = ServiceTokens.forApp(this.app);
		assertThat(client().put("/connectors/mockidp", token, nested(20)).status()).isEqualTo(200);
		BrokerClient.Response deep = client().put("/connectors/mockidp", token, nested(40));
		assertThat(deep.status()).isEqualTo(400);
		assertThat(deep.json().get("code").asString()).isEqualTo("invalid_request");
		BrokerClient.Response veryDeep = client().put("/connectors/mockidp", token, nested(20_000));
		assertThat(veryDeep.status()).isEqualTo(400);
	}

	@Test
	void aClientThatStopsSendingIsDisconnected() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /integrations HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			long start = System.nanoTime();
			InputStream in = socket.getInputStream();
			while (in.read() >= 0) {
				// Drain whatever the server answers before it closes.
			}
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			assertThat(waited).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
		}
	}

	private static String nested(int depth) {
		return "{\"ignored\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
	}

	private String token(String subject) {
		return ServiceTokens.sign(ServiceTokens.SECRET,
				Map.of("app_id", this.app, "scope", "connectors:read connectors:admin", "sub", subject),
				Duration.ofMinutes(10));
	}

}
