package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** HubSpot: everything in the form body; 30-minute tokens; the portal (hub) id is kept. */
class HubSpotProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/hubspot/token";

	@Test
	void codeExchangeSendsEverythingInTheFormAndKeepsTheHubId() {
		stubToken(TOKEN_PATH, "hubspot/token.json");
		String token = ServiceTokens.forApp("app-hubspot");
		Authorization authorization = connect("hubspot", token, "{}", "6f18f26a-3e95-4d95-a6e5-code");
		assertThat(authorization.query())
			.containsEntry("scope", "oauth crm.objects.contacts.read crm.objects.contacts.write "
					+ "crm.objects.companies.read crm.objects.deals.read")
			.doesNotContainKey("code_challenge");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"6f18f26a-3e95-4d95-a6e5-code", "redirect_uri", callbackUri(), "client_id", CLIENT_ID,
				"client_secret", CLIENT_SECRET));
		JsonNode connection = connection("hubspot", token);
		assertThat(connection.get("accessToken").asString())
			.isEqualTo("CKDZpunPLhICAQEYs-gDIIGOBii1hQIyGQAf3xBKEgsYjYMJVvlHEz9tFHAwSq1TQAM40s0D");
		assertExpiresIn(connection, 1800);
		assertThat(connection.get("connectionConfig").get("hub_id").asString()).isEqualTo("62515");
	}

}
