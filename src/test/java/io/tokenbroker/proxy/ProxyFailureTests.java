package io.tokenbroker.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ServiceTokens;

/** Calls that get no (usable) answer, limits, and broker-side refusals. */
class ProxyFailureTests extends ProxyBrokerTestBase {

	@Test
	void slowProviderTimesOutWithPhaseTimedOut() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}").withFixedDelay(10000)));

		BrokerClient.Response response = proxy(token, Map.of("method", "POST", "path", path, "body", Map.of()));

		assertThat(response.status()).isEqualTo(200);
		JsonNode result = response.json();
		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("phase").asString()).isEqualTo("timed_out");
		assertThat(result.get("status").isNull()).isTrue();
		assertThat(result.get("data").get("error").asString()).isEqualTo("read_timeout");
		assertThat(received(path)).hasSize(1);
	}

	@Test
	void refusedConnectionIsReportedAsNotSent() {
		String token = connectedApp();

		JsonNode result = proxy(token, Map.of("host", "http://localhost:" + CLOSED_PORT, "path", unique())).json();

		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("phase").asString()).isEqualTo("not_sent");
		assertThat(result.get("data").get("error").asString()).isEqualTo("connection_failed");
	}

	@Test
	void answerLargerThanTheCapIsA502Problem() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/octet-stream")
			.withBody(new byte[100 * 1024])));

		assertProblem(proxy(token, Map.of("path", path)), 502, "provider_response_too_large");
	}

	@Test
	void streamedAnswerIsCutOffAtTheCap() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain")
			.withBody("x".repeat(200 * 1024))
			.withChunkedDribbleDelay(20, 200)));

		assertProblem(proxy(token, Map.of("path", path)), 502, "provider_response_too_large");
	}

	@Test
	void requestBodiesMayExceedTheApiLimitUpToTheProxyLimit() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}")));

		JsonNode accepted = proxy(token, Map.of("method", "PUT", "path", path, "body", "a".repeat(100 * 1024)))
			.json();
		BrokerClient.Response refused = proxy(token,
				Map.of("method", "PUT", "path", path, "body", "b".repeat(200 * 1024)));

		assertThat(accepted.get("success").asBoolean()).as(accepted.toString()).isTrue();
		assertProblem(refused, 413, "payload_too_large");
		assertThat(received(path)).hasSize(1);
	}

	@Test
	void connectorWithoutAuthorizedAccountIsNotConnected() {
		String token = ServiceTokens.forApp("app-proxy-pending-" + UUID.randomUUID());
		assertThat(client().put("/connectors/mockidp", token, "{}").status()).isEqualTo(200);

		assertProblem(proxy(token, Map.of("path", "/x")), 409, "not_connected");
	}

	@Test
	void missingConnectorAndUnknownTypeAreNotFound() {
		String token = ServiceTokens.forApp("app-proxy-none-" + UUID.randomUUID());
		assertProblem(proxy(token, Map.of("path", "/x")), 404, "connector_not_found");
		assertProblem(proxy(token, "no-such-type", Map.of("path", "/x")), 404, "unknown_integration");
	}

	@Test
	void proxyNeedsTheReadScope() {
		String adminOnly = ServiceTokens.forApp("app-proxy-scope-" + UUID.randomUUID(), ServiceTokens.ADMIN);
		assertProblem(proxy(adminOnly, Map.of("path", "/x")), 403, "forbidden");
		assertThat(client().post("/connectors/mockidp/proxy", null, "{\"path\":\"/x\"}").status()).isEqualTo(401);
	}

	@Test
	void callsAreCountedByProviderOutcomeAndStatus() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(418)));

		proxy(token, Map.of("path", path));

		String metrics = managementClient().get("/actuator/prometheus", null).body();
		assertThat(metrics)
			.contains("broker_proxy_calls_seconds_count{outcome=\"responded\",provider=\"mockidp\",status=\"418\"}");
	}

}
