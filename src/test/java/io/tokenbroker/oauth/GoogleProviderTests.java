package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** The Google family: one OAuth client model for ten types that differ in scopes. */
class GoogleProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/google/token";

	@Test
	void authorizationAsksForOfflineAccessWithConsentAndPkce() {
		Authorization authorization = start("googlecalendar", ServiceTokens.forApp("app-google-url"), "{}");
		assertThat(authorization.url()).startsWith(PROVIDERS.baseUrl() + "/google/authorize?");
		assertThat(authorization.query()).containsEntry("response_type", "code")
			.containsEntry("client_id", CLIENT_ID)
			.containsEntry("redirect_uri", callbackUri())
			.containsEntry("access_type", "offline")
			.containsEntry("prompt", "consent")
			.containsEntry("include_granted_scopes", "true")
			.containsEntry("code_challenge_method", "S256")
			.containsEntry("scope", "https://www.googleapis.com/auth/calendar.readonly "
					+ "https://www.googleapis.com/auth/calendar.events");
	}

	@Test
	void aConnectorSavedWithNoScopesAsksForTheDefaultScopesSinceGoogleRefusesNone() {
		Authorization authorization = start("googledrive", ServiceTokens.forApp("app-google-no-scopes"),
				"{\"scopes\":[]}");
		assertThat(authorization.query()).containsEntry("scope",
				"https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/drive.file");
	}

	@Test
	void everyGoogleTypeAsksForOfflineAccessWithItsOwnDefaultScopes() {
		String token = ServiceTokens.forApp("app-google-family");
		JsonNode integrations = client().get("/integrations", token).json().get("integrations");
		List<String> googleTypes = new ArrayList<>();
		for (JsonNode integration : integrations) {
			String type = integration.get("integration_type").asString();
			List<String> scopes = new ArrayList<>();
			integration.get("default_scopes").forEach((s) -> scopes.add(s.asString()));
			if (scopes.isEmpty() || !scopes.get(0).startsWith("https://www.googleapis.com/auth/")) {
				continue;
			}
			googleTypes.add(type);
			Authorization authorization = start(type, token, "{}");
			assertThat(authorization.url()).as(type).startsWith(PROVIDERS.baseUrl() + "/google/authorize?");
			assertThat(authorization.query()).as(type)
				.containsEntry("scope", String.join(" ", scopes))
				.containsEntry("access_type", "offline")
				.containsEntry("prompt", "consent");
		}
		assertThat(googleTypes).containsExactlyInAnyOrder("gmail", "google_analytics", "googlebigquery",
				"googlecalendar", "google_classroom", "googledocs", "googledrive", "google_search_console",
				"googlesheets", "googleslides");
	}

	@Test
	void codeExchangeSendsTheSecretInTheFormWithThePkceVerifier() {
		stubToken(TOKEN_PATH, "google/token.json");
		Authorization authorization = connect("googlecalendar", ServiceTokens.forApp("app-google-exchange"), "{}",
				"4/0AeanS0-google-code");
		LoggedRequest request = onlyRequestTo(TOKEN_PATH);
		assertThat(request.getMethod()).isEqualTo(RequestMethod.POST);
		assertThat(request.containsHeader("Authorization")).isFalse();
		assertThat(withVerifiedPkce(form(request), authorization)).isEqualTo(Map.of("grant_type",
				"authorization_code", "code", "4/0AeanS0-google-code", "redirect_uri", callbackUri(), "client_id",
				CLIENT_ID, "client_secret", CLIENT_SECRET));
	}

	@Test
	void connectionServesTheAccessTokenWithItsExpiryAndGrantedScopes() {
		stubToken(TOKEN_PATH, "google/token.json");
		String token = ServiceTokens.forApp("app-google-connection");
		connect("googlecalendar", token, "{}", "4/0AeanS0-google-code");
		JsonNode connection = connection("googlecalendar", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("ya29.a0AfB_byCalendarAccessToken");
		assertExpiresIn(connection, 3599);
		assertThat(connection.get("connectionConfig").isNull()).isTrue();
		assertThat(connection.get("scopes").toString()).contains("https://www.googleapis.com/auth/calendar.events");
	}

	@Test
	void rejectedCodeLeavesTheConnectorUnconnected() {
		stubToken(TOKEN_PATH, 400, "google/invalid-grant.json");
		String token = ServiceTokens.forApp("app-google-invalid-grant");
		Authorization authorization = start("googlecalendar", token, "{}");
		BrokerClient.Response page = callback(authorization, "4/0-expired-code");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("was not connected").contains("invalid_grant");
		BrokerClient.Response connection = client().get("/connectors/googlecalendar/connection", token);
		assertThat(connection.status()).isEqualTo(409);
		assertThat(connection.json().get("code").asString()).isEqualTo("not_connected");
	}

}
