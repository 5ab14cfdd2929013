package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Service-role JWTs: 401 with a challenge when missing or bad, 403 when the scope is missing. */
class ServiceAuthenticationTests extends PostgresBrokerTestBase {

	@Test
	void missingTokenIsUnauthorizedWithBearerChallenge() {
		BrokerClient.Response response = client().get("/connectors", null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
	}

	@Test
	void tokenSignedWithAnotherSecretIsUnauthorized() {
		String forged = ServiceTokens.sign("another-secret-another-secret-another-secret",
				Map.of("app_id", "app-a", "scope", "connectors:read connectors:admin"), Duration.ofMinutes(5));
		BrokerClient.Response response = client().get("/connectors", forged);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"")
			.endsWith("error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\"")
			.doesNotContain("resource_metadata");
	}

	@Test
	void expiredTokenIsUnauthorized() {
		String expired = ServiceTokens.sign(ServiceTokens.SECRET,
				Map.of("app_id", "app-a", "scope", "connectors:read"), Duration.ofMinutes(-5));
		assertThat(client().get("/connectors", expired).status()).isEqualTo(401);
	}

	@Test
	void tokenWithAlteredSignatureIsUnauthorizedAfterTheGenuineOneWasAccepted() {
		String genuine = ServiceTokens.forApp("app-cache", ServiceTokens.READ);
		assertThat(client().get("/connectors", genuine).status()).isEqualTo(200);
		// The first character of the signature: the last one may carry only padding bits, which decoders ignore.
		int first = genuine.lastIndexOf('.') + 1;
		char original = genuine.charAt(first);
		String altered = genuine.substring(0, first) + ((original == 'A') ? 'B' : 'A') + genuine.substring(first + 1);
		assertThat(client().get("/connectors", altered).status()).isEqualTo(401);
		assertThat(client().get("/connectors", genuine).status()).isEqualTo(200);
	}

	@Test
	void benchmarkCeilingIsNotServedByDefault() {
		assertThat(client().get("/bench/ceiling", null).status()).isEqualTo(401);
		assertThat(client().get("/bench/ceiling", ServiceTokens.forApp("app-a")).status()).isEqualTo(404);
	}

	@Test
	void garbageTokenIsUnauthorized() {
		assertThat(client().get("/connectors", "not-a-jwt").status()).isEqualTo(401);
	}

	@Test
	void tokenWithoutAppIdIsUnauthorized() {
		String noApp = ServiceTokens.sign(ServiceTokens.SECRET, Map.of("scope", "connectors:read"),
				Duration.ofMinutes(5));
		BrokerClient.Response response = client().get("/connectors", noApp);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
	}

	@Test
	void readScopeCannotManageConnectors() {
		String readOnly = ServiceTokens.forApp("app-scopes", ServiceTokens.READ);
		BrokerClient.Response response = client().put("/connectors/mockidp", readOnly, "{}");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("code").asString()).isEqualTo("forbidden");
		assertThat(client().get("/connectors", readOnly).json().get("connectors").size()).isZero();
	}

	@Test
	void aMissingScopeIsChallengedAsInsufficientScope() {
		BrokerClient.Response response = client().put("/connectors/mockidp",
				ServiceTokens.forApp("app-scopes", ServiceTokens.READ), "{}");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("code").asString()).isEqualTo("forbidden");
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"")
			.contains("error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\"");
	}

	@Test
	void adminScopeAloneCannotReadTokens() {
		String adminOnly = ServiceTokens.forApp("app-scopes", ServiceTokens.ADMIN);
		assertThat(client().get("/connectors/mockidp/connection", adminOnly).status()).isEqualTo(403);
	}

	@Test
	void appTokensCannotUseOperatorEndpoints() {
		assertThat(client().post("/admin/re-encrypt", ServiceTokens.forApp("app-a"), null).status()).isEqualTo(403);
	}

}
