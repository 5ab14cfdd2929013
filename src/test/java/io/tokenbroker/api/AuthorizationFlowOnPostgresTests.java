package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** The whole connect flow against a real OAuth server, on PostgreSQL in production mode. */
class AuthorizationFlowOnPostgresTests extends PostgresBrokerTestBase {

	@Test
	void connectedTokenIsAcceptedByTheProvider() {
		String token = ServiceTokens.forApp("app-flow-pg");
		BrokerClient.Response callback = OAuthDance.connect(client(), token, MockIdp.TYPE);
		assertThat(callback.status()).isEqualTo(200);
		assertThat(callback.body()).contains("Connected to Mock IdP");

		BrokerClient.Response connection = client().get("/connectors/mockidp/connection", token);
		assertThat(connection.status()).as(connection.toString()).isEqualTo(200);
		JsonNode body = connection.json();
		String accessToken = body.get("accessToken").asString();
		assertThat(body.get("integrationType").asString()).isEqualTo("mockidp");
		assertThat(body.has("connectionConfig")).isTrue();
		assertThat(body.get("connectionConfig").isNull()).isTrue();
		assertThat(body.get("expiresAt").isNull()).isFalse();

		BrokerClient.Response userinfo = client().send(HttpRequest
			.newBuilder(URI.create(MockIdp.server().userInfoUrl(MockIdp.issuer()).toString()))
			.header("Authorization", "Bearer " + accessToken)
			.GET()
			.build());
		assertThat(userinfo.status()).as(userinfo.toString()).isEqualTo(200);
	}

	@Test
	void connectorReportsActiveStatusWithoutTokens() {
		String token = ServiceTokens.forApp("app-status-pg");
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		BrokerClient.Response connector = client().get("/connectors/mockidp", token);
		assertThat(connector.status()).isEqualTo(200);
		assertThat(connector.json().get("status").asString()).isEqualTo("active");
		assertThat(connector.json().get("grantedScopes").size()).isGreaterThan(0);
		assertThat(connector.body()).doesNotContain("accessToken").doesNotContain("refresh");
	}

	@Test
	void repeatingTheSamePutOnAnActiveConnectorNeedsNoAuthorization() {
		String token = ServiceTokens.forApp("app-idempotent-pg");
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		BrokerClient.Response again = client().put("/connectors/mockidp", token, "{}");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("status").asString()).isEqualTo("active");
		assertThat(again.json().get("redirectUrl").isNull()).isTrue();
	}

	@Test
	void requestingMoreScopesThanGrantedAsksForAuthorizationAgain() {
		String token = ServiceTokens.forApp("app-scopes-pg");
		OAuthDance.connect(client(), token, MockIdp.TYPE, "{\"scopes\":[\"openid\"]}");
		BrokerClient.Response wider = client().put("/connectors/mockidp", token,
				"{\"scopes\":[\"openid\",\"calendar.write\"]}");
		assertThat(wider.json().get("redirectUrl").asString()).contains("calendar.write");
		// The existing grant keeps working while the new consent is pending.
		assertThat(client().get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
	}

	@Test
	void authorizationUsesStateAndPkceS256() {
		String token = ServiceTokens.forApp("app-pkce-pg");
		BrokerClient.Response put = client().put("/connectors/mockidp", token, "{}");
		var query = OAuthDance.query(put.json().get("redirectUrl").asString());
		assertThat(query.get("code_challenge_method")).isEqualTo("S256");
		assertThat(query.get("code_challenge")).hasSizeGreaterThanOrEqualTo(43);
		assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(22);
		assertThat(query.get("redirect_uri")).isEqualTo(client().baseUrl() + "/oauth/callback");
	}

	@Test
	void deniedConsentEndsAsFailedAuthorizationWithTheProviderError() {
		String token = ServiceTokens.forApp("app-denied-pg");
		BrokerClient.Response put = client().put("/connectors/mockidp", token, "{}");
		String state = OAuthDance.query(put.json().get("redirectUrl").asString()).get("state");
		BrokerClient.Response callback = client().getUrl(client().baseUrl() + "/oauth/callback?state=" + state
				+ "&error=access_denied&error_description=User+said+no", "text/html");
		assertThat(callback.status()).isEqualTo(200);
		assertThat(callback.body()).contains("access_denied").contains("was not connected");
		BrokerClient.Response status = client().get(
				"/authorizations/" + put.json().get("authorizationId").asString(), token);
		assertThat(status.json().get("outcome").asString()).isEqualTo("FAILED");
		assertThat(client().get("/connectors/mockidp/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
	}

	@Test
	void callbackPageOffersAButtonBackToTheAllowListedReturnUrl() {
		String token = ServiceTokens.forApp("app-return-pg");
		BrokerClient.Response put = client().put("/connectors/mockidp", token,
				"{\"returnUrl\":\"https://app.example.com/done?x=1\"}");
		String callback = OAuthDance.callbackUrl(client(), put.json().get("redirectUrl").asString());
		BrokerClient.Response answer = client().getUrl(callback, "text/html");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Location")).isNull();
		String connectorId = put.json().get("connectorId").asString();
		assertThat(answer.body()).contains("Connected to Mock IdP")
			.contains("href=\"https://app.example.com/done?x=1&amp;status=connected&amp;integration_type=mockidp"
					+ "&amp;connector_id=" + connectorId + "\"")
			.contains("Return to the app");
	}

	@Test
	void deletingAConnectorRemovesItsTokens() {
		String token = ServiceTokens.forApp("app-delete-pg");
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		assertThat(client().delete("/connectors/mockidp", token).status()).isEqualTo(204);
		assertThat(client().get("/connectors/mockidp/connection", token).json().get("code").asString())
			.isEqualTo("connector_not_found");
		assertThat(client().get("/connectors", token).json().get("connectors").size()).isZero();
	}

}
