package io.tokenbroker.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** The Microsoft identity platform family: the tenant fills the URLs, refreshes repeat the scopes. */
class MicrosoftProviderTests extends ProviderStubTestBase {

	private static final String CONTOSO = "/microsoft/contoso.onmicrosoft.com/oauth2/v2.0";

	private static final String COMMON = "/microsoft/common/oauth2/v2.0";

	@Test
	void tenantFromConnectionConfigFillsTheAuthorizationAndTokenUrls() {
		stubToken(CONTOSO + "/token", "microsoft/token.json");
		String token = ServiceTokens.forApp("app-ms-tenant");
		Authorization authorization = connect("outlook", token,
				"{\"connectionConfig\":{\"tenant\":\"contoso.onmicrosoft.com\"}}", "0.AXoA-code");
		assertThat(authorization.url()).startsWith(PROVIDERS.baseUrl() + CONTOSO + "/authorize?");
		assertThat(authorization.query()).containsEntry("response_mode", "query")
			.containsEntry("scope", "offline_access openid profile User.Read Mail.ReadWrite Mail.Send "
					+ "Calendars.ReadWrite Contacts.Read");
		assertThat(withVerifiedPkce(form(onlyRequestTo(CONTOSO + "/token")), authorization)).isEqualTo(Map.of(
				"grant_type", "authorization_code", "code", "0.AXoA-code", "redirect_uri", callbackUri(), "client_id",
				CLIENT_ID, "client_secret", CLIENT_SECRET));
		JsonNode connection = connection("outlook", token);
		assertThat(connection.get("accessToken").asString())
			.isEqualTo("eyJ0eXAiOiJKV1QiLCJub25jZSI6Ik1pY3Jvc29mdEFjY2Vzcy1vbmUifQ.graph-access-one");
		assertExpiresIn(connection, 4742);
		assertThat(connection.get("connectionConfig").get("tenant").asString()).isEqualTo("contoso.onmicrosoft.com");
	}

	@Test
	void accountComesFromTheIdToken() {
		stubToken(CONTOSO + "/token", "microsoft/token.json");
		String token = ServiceTokens.forApp("app-ms-account");
		connect("outlook", token, "{\"connectionConfig\":{\"tenant\":\"contoso.onmicrosoft.com\"}}", "0.AXoA-code");
		JsonNode connector = client().get("/connectors/outlook", token).json();
		assertThat(connector.get("accountId").asString()).isEqualTo("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ");
		assertThat(connector.get("accountEmail").asString()).isEqualTo("AdeleV@contoso.com");
	}

	@Test
	void grantedGraphScopesCountAsTheRequestedOnes() {
		stubToken(CONTOSO + "/token", "microsoft/token.json");
		String token = ServiceTokens.forApp("app-ms-scopes");
		String body = "{\"connectionConfig\":{\"tenant\":\"contoso.onmicrosoft.com\"}}";
		connect("outlook", token, body, "0.AXoA-code");
		assertThat(client().get("/connectors/outlook", token).json().get("grantedScopes").toString())
			.contains("\"Mail.ReadWrite\"", "\"User.Read\"", "\"offline_access\"")
			.doesNotContain("https://graph.microsoft.com/");
		// The same PUT again finds every requested scope granted: no new consent.
		BrokerClient.Response again = client().put("/connectors/outlook", token, body);
		assertThat(again.json().get("status").asString()).isEqualTo("active");
		assertThat(again.json().get("redirectUrl").isNull()).isTrue();
	}

	@Test
	void tenantDefaultsToCommon() {
		String token = ServiceTokens.forApp("app-ms-common");
		Authorization authorization = start("one_drive", token, "{}");
		assertThat(authorization.url()).startsWith(PROVIDERS.baseUrl() + COMMON + "/authorize?");
		assertThat(client().get("/connectors/one_drive", token).json().get("connectionConfig").get("tenant")
			.asString()).isEqualTo("common");
	}

	@Test
	void refreshRepeatsTheScopesAndStoresTheRotatedRefreshToken() {
		stub(post(urlPathEqualTo(COMMON + "/token")).withRequestBody(containing("grant_type=authorization_code"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody(fixture("microsoft/token-short-lived.json"))));
		stub(post(urlPathEqualTo(COMMON + "/token")).withRequestBody(containing("grant_type=refresh_token"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody(fixture("microsoft/refresh.json"))));
		String token = ServiceTokens.forApp("app-ms-refresh");
		connect("one_drive", token, "{}", "0.AXoA-code");

		// The first token expires within the broker's skew, so the read refreshes it first.
		ageStoredTokens("app-ms-refresh");
		JsonNode connection = connection("one_drive", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("eyJ0eXAiOiJKV1QifQ.graph-access-refreshed");
		assertExpiresIn(connection, 3909);
		Map<String, String> refresh = requestsTo(COMMON + "/token").stream()
			.map(ProviderStubTestBase::form)
			.filter((f) -> "refresh_token".equals(f.get("grant_type")))
			.findFirst()
			.orElseThrow();
		assertThat(refresh).isEqualTo(Map.of("grant_type", "refresh_token", "refresh_token",
				"0.AXoA-microsoft-refresh-first", "scope", "offline_access openid profile User.Read Files.ReadWrite",
				"client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
	}

	@Test
	void tenantThatWouldMoveTheTokenRequestElsewhereIsRejected() {
		String token = ServiceTokens.forApp("app-ms-bad-tenant");
		BrokerClient.Response put = client().put("/connectors/outlook", token,
				"{\"connectionConfig\":{\"tenant\":\"attacker.example/steal?x=\"}}");
		assertThat(put.status()).isEqualTo(400);
		assertThat(put.json().get("code").asString()).isEqualTo("invalid_connection_config");
		assertThat(client().get("/connectors/outlook", token).status()).isEqualTo(404);
	}

	@Test
	void sharePointNeedsASitePathOfTheAllowedCharacters() {
		String token = ServiceTokens.forApp("app-ms-sharepoint");
		BrokerClient.Response missing = client().put("/connectors/share_point", token, "{}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().get("field").asString()).isEqualTo("subdomain");
		BrokerClient.Response bad = client().put("/connectors/share_point", token,
				"{\"connectionConfig\":{\"subdomain\":\"sites/../admin?x\"}}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().get("code").asString()).isEqualTo("invalid_connection_config");

		Authorization authorization = start("share_point", token,
				"{\"connectionConfig\":{\"subdomain\":\"sites/marketing_team-1\"}}");
		assertThat(authorization.url()).startsWith(PROVIDERS.baseUrl() + COMMON + "/authorize?");
		JsonNode config = client().get("/connectors/share_point", token).json().get("connectionConfig");
		assertThat(config.get("subdomain").asString()).isEqualTo("sites/marketing_team-1");
		assertThat(config.get("tenant").asString()).isEqualTo("common");
	}

	@Test
	void rejectedCodeLeavesTheConnectorUnconnected() {
		stubToken(COMMON + "/token", 400, "microsoft/invalid-grant.json");
		String token = ServiceTokens.forApp("app-ms-invalid-grant");
		BrokerClient.Response page = callback(start("microsoft_teams", token, "{}"), "0.AXoA-used-code");
		assertThat(page.body()).contains("was not connected").contains("invalid_grant");
		assertThat(client().get("/connectors/microsoft_teams/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
	}

}
