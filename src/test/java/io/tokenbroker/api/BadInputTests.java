package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Malformed or hostile input gets a 4xx problem with a stable code, and leaves stored data as it was. */
class BadInputTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	private String token;

	private String connectorsBefore;

	@BeforeEach
	void connectedApp() {
		this.token = ServiceTokens.forApp("app-bad-input-" + System.nanoTime());
		OAuthDance.connect(client(), this.token, MockIdp.TYPE, "{\"connectionConfig\":{\"subdomain\":\"acme\"}}");
		this.connectorsBefore = client().get("/connectors", this.token).body();
	}

	@Test
	void malformedJsonIsRejected() {
		assertProblem(client().put("/connectors/mockidp", this.token, "{\"scopes\": [\"a\""), 400, "invalid_request");
	}

	@Test
	void wrongJsonTypeIsRejectedNamingTheField() {
		BrokerClient.Response response = client().put("/connectors/mockidp", this.token, "{\"scopes\": \"openid\"}");
		assertProblem(response, 400, "invalid_request");
		assertThat(response.json().get("detail").asString()).contains("scopes");
	}

	@Test
	void nonStringConfigValueIsRejected() {
		assertProblem(client().put("/connectors/mockidp", this.token, "{\"connectionConfig\": {\"subdomain\": [1]}}"),
				400, "invalid_request");
	}

	@Test
	void unknownIntegrationTypeIsNotFound() {
		assertProblem(client().put("/connectors/no-such-type", this.token, "{}"), 404, "unknown_integration");
	}

	@Test
	void integrationTypeWithOddCharactersIsRejected() {
		assertProblem(client().put("/connectors/bad%20type!", this.token, "{}"), 400, "invalid_request");
		assertProblem(client().get("/connectors/%3Cscript%3E/connection", this.token), 400, "invalid_request");
	}

	@Test
	void pathTraversalIsRejected() {
		assertProblem(client().get("/connectors/..%2Fadmin/connection", this.token), 400, "invalid_request");
	}

	@Test
	void configValueFailingTheCatalogPatternNamesFieldAndRule() {
		BrokerClient.Response response = client().put("/connectors/mockidp", this.token,
				"{\"connectionConfig\": {\"subdomain\": \"Not Valid!\"}}");
		assertProblem(response, 400, "invalid_connection_config");
		assertThat(response.json().get("field").asString()).isEqualTo("subdomain");
		assertThat(response.json().get("detail").asString()).contains("Use lowercase letters, digits and dashes.");
	}

	@Test
	void unknownConfigFieldIsRejected() {
		assertProblem(client().put("/connectors/mockidp", this.token, "{\"connectionConfig\": {\"tenant\": \"x\"}}"),
				400, "invalid_connection_config");
	}

	@Test
	void missingRequiredConfigFieldIsRejected() {
		BrokerClient.Response response = client().put("/connectors/" + MockIdp.TYPE_WITH_REQUIRED_CONFIG, this.token,
				"{}");
		assertProblem(response, 400, "invalid_connection_config");
		assertThat(response.json().get("field").asString()).isEqualTo("tenant");
	}

	@Test
	void scopeWithControlCharactersIsRejected() {
		assertProblem(client().put("/connectors/mockidp", this.token, "{\"scopes\": [\"a\\nb\"]}"), 400,
				"invalid_request");
	}

	@Test
	void oversizeBodyIsRejected() {
		String huge = "{\"scopes\": [\"" + "a".repeat(70_000) + "\"]}";
		assertProblem(client().put("/connectors/mockidp", this.token, huge), 413, "payload_too_large");
	}

	@Test
	void oversizeChunkedBodyIsRejected() {
		String huge = "{\"scopes\": [\"" + "a".repeat(70_000) + "\"]}";
		HttpRequest request = client().request("/connectors/mockidp", this.token)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge.getBytes())))
			.build();
		assertProblem(client().send(request), 413, "payload_too_large");
	}

	@Test
	void oversizeChunkedFormBodyIsRejected() {
		String huge = "confirmation=" + "a".repeat(70_000) + "&decision=allow";
		HttpRequest request = client().request("/connect/some-ticket", null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge.getBytes())))
			.build();
		assertProblem(client().send(request), 413, "payload_too_large");
	}

	@Test
	void nonJsonContentTypeIsRejected() {
		HttpRequest request = client().request("/connectors/mockidp", this.token)
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString("scopes=a"))
			.build();
		assertProblem(client().send(request), 415, "unsupported_media_type");
	}

	@Test
	void yamlBodyIsRejected() {
		HttpRequest request = client().request("/connectors/mockidp", this.token)
			.header("Content-Type", "application/yaml")
			.PUT(HttpRequest.BodyPublishers.ofString("scopes: [a]\n"))
			.build();
		assertProblem(client().send(request), 415, "unsupported_media_type");
	}

	@Test
	void answersAreNeverYaml() {
		HttpRequest request = client().request("/connectors", this.token)
			.header("Accept", "application/yaml")
			.GET()
			.build();
		BrokerClient.Response response = client().send(request);
		assertThat(response.contentType()).doesNotContain("yaml");
		assertThat(response.body()).doesNotContain("connectorId:");
	}

	@Test
	void aFormWithoutContentTypeIsRefusedNamingWhatIsMissing() {
		HttpRequest request = client().request("/connect/some-ticket", null)
			.POST(HttpRequest.BodyPublishers.ofString("decision=continue"))
			.build();
		BrokerClient.Response response = client().send(request);
		assertProblem(response, 415, "unsupported_media_type");
		assertThat(response.json().get("detail").asString()).doesNotContain("null").contains("Content-Type");
	}

	@Test
	void anUnknownPathIsANotFoundProblemInTheBrokersOwnWords() {
		BrokerClient.Response response = client().get("/connectors/mockidp/no-such-route", this.token);
		assertProblem(response, 404, "not_found");
		assertThat(response.json().get("detail").asString()).doesNotContain("static resource");
	}

	@Test
	void unsupportedMethodIsAProblem() {
		assertProblem(client().post("/connectors/mockidp/connection", this.token, "{}"), 405, "method_not_allowed");
	}

	@Test
	void unconfiguredProviderCannotBeConnected() {
		assertProblem(client().put("/connectors/googlecalendar", this.token, "{}"), 409, "provider_not_configured");
	}

	@Test
	void callbackWithUnknownStateIsRejected() {
		BrokerClient.Response response = client()
			.getUrl(client().baseUrl() + "/oauth/callback?state=forged-state&code=abc", "application/json");
		assertProblem(response, 400, "invalid_request");
		BrokerClient.Response page = client()
			.getUrl(client().baseUrl() + "/oauth/callback?state=forged-state&code=abc", "text/html");
		assertThat(page.status()).isEqualTo(400);
		assertThat(page.body()).contains("This link no longer works").doesNotContain("abc");
	}

	@Test
	void callbackStateWorksOnlyOnce() {
		BrokerClient.Response put = client().post("/connectors/mockidp/authorize", this.token, null);
		String callback = OAuthDance.callbackUrl(client(), put.json().get("redirectUrl").asString());
		assertThat(client().getUrl(callback, "text/html").status()).isEqualTo(200);
		this.connectorsBefore = client().get("/connectors", this.token).body();
		BrokerClient.Response replay = client().getUrl(callback, "application/json");
		assertProblem(replay, 400, "invalid_request");
		assertThat(replay.json().get("detail").asString()).contains("already used");
	}

	@Test
	void callbackWithExpiredStateIsRejected() {
		BrokerClient.Response start = client().post("/connectors/mockidp/authorize", this.token, null);
		String callback = OAuthDance.callbackUrl(client(), start.json().get("redirectUrl").asString());
		this.jdbc.update("update oauth_state set expires_at = ? where id = ?",
				java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)),
				start.json().get("authorizationId").asString());
		BrokerClient.Response answer = client().getUrl(callback, "application/json");
		assertProblem(answer, 400, "invalid_request");
		assertThat(answer.json().get("detail").asString()).contains("expired");
		assertThat(client().get("/authorizations/" + start.json().get("authorizationId").asString(), this.token)
			.json().get("outcome").asString()).isEqualTo("FAILED");
	}

	@Test
	void callbackWithoutCodeIsRejected() {
		BrokerClient.Response start = client().post("/connectors/mockidp/authorize", this.token, null);
		String state = OAuthDance.query(start.json().get("redirectUrl").asString()).get("state");
		assertProblem(client().getUrl(client().baseUrl() + "/oauth/callback?state=" + state, "application/json"),
				400, "invalid_request");
	}

	@Test
	void disallowedReturnUrlIsRejected() {
		assertProblem(client().post("/connectors/mockidp/authorize", this.token,
				"{\"returnUrl\":\"https://evil.example.net/steal\"}"), 400, "invalid_request");
		assertProblem(client().put("/connectors/mockidp", this.token,
				"{\"scopes\":[\"openid\",\"x\"],\"returnUrl\":\"https://app.example.com.evil.net/done\"}"), 400,
				"invalid_request");
	}

	private void assertProblem(BrokerClient.Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo(code);
		assertThat(response.json().get("detail").isString()).isTrue();
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.tokenbroker");
		assertThat(client().get("/connectors", this.token).body()).isEqualTo(this.connectorsBefore);
		assertThat(client().get("/connectors/mockidp/connection", this.token).status()).isEqualTo(200);
	}

}
