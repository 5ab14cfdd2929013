package io.tokenbroker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** What Prometheus finds at /actuator/prometheus on the management port. */
class PrometheusMetricsTests extends PostgresBrokerTestBase {

	@Test
	void scrapeNeedsNoTokenAndSpeaksThePrometheusTextFormat() {
		BrokerClient.Response scrape = scrape();
		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.contentType()).startsWith("text/plain");
		assertThat(scrape.body()).contains("# TYPE jvm_memory_used_bytes gauge");
	}

	@Test
	void apiRequestsAreMeasuredByRouteTemplateNotByConcretePath() {
		String token = ServiceTokens.forApp("app-metrics-http");
		client().get("/connectors/mockidp/connection", token);
		String body = scrape().body();
		assertThat(body).containsPattern(
				"http_server_requests_seconds_count\\{[^}]*status=\"404\"[^}]*uri=\"/connectors/\\{type}/connection\"[^}]*} \\d");
		// Spring Security's own observations (per filter, authentication, authorization) are off by default.
		assertThat(body).doesNotContain("spring_security_");
	}

	@Test
	void connectionCountsArePublishedForEveryStatus() {
		OAuthDance.connect(client(), ServiceTokens.forApp("app-metrics-status"), MockIdp.TYPE);
		String body = scrape().body();
		assertThat(body).contains("# TYPE broker_connections gauge");
		for (String status : new String[] { "pending", "active", "expired", "disconnected" }) {
			assertThat(body).containsPattern("broker_connections\\{[^}]*status=\"" + status + "\"[^}]*} \\d");
		}
	}

	@Test
	void refreshAttemptsAreCountedByProviderAndOutcome() throws InterruptedException {
		String token = ServiceTokens.forApp("app-metrics-refresh");
		// The next token the mock IdP issues lives 2 s: a read in its second half refreshes it first.
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), "metrics-user", "JWT",
				null, java.util.Map.of(), 2));
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		Thread.sleep(1200);
		assertThat(client().get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		assertThat(scrape().body()).containsPattern(
				"broker_refresh_attempts_total\\{[^}]*outcome=\"success\"[^}]*provider=\"mockidp\"[^}]*} [1-9]");
	}

	@Test
	void proxyCallsAreTimedByProviderAndOutcome() {
		String token = ServiceTokens.forApp("app-metrics-proxy");
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		// In this broker mockidp has no API base URL, so the proxy refuses the call: that is an outcome too.
		BrokerClient.Response proxied = client().post("/connectors/mockidp/proxy", token, "{\"path\":\"/userinfo\"}");
		assertThat(proxied.status()).as(proxied.toString()).isEqualTo(409);
		assertThat(scrape().body()).containsPattern(
				"broker_proxy_calls_seconds_count\\{[^}]*outcome=\"refused\"[^}]*provider=\"mockidp\"[^}]*} [1-9]");
	}

	private BrokerClient.Response scrape() {
		return managementClient().get("/actuator/prometheus", null);
	}

}
