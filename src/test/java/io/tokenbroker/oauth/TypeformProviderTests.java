package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Typeform issues a refresh token only for the offline scope; its tokens live a week by default. */
class TypeformProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/typeform/token";

	@Test
	void authorizationAsksForOfflineAndTheExchangeStoresAOneWeekToken() {
		stubToken(TOKEN_PATH, "typeform/token.json");
		String token = ServiceTokens.forApp("app-typeform");
		Authorization authorization = connect("typeform", token, "{}", "typeform-code-Y2Fm");
		assertThat(authorization.query().get("scope")).startsWith("offline ").contains("forms:read");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"typeform-code-Y2Fm", "redirect_uri", callbackUri(), "client_id", CLIENT_ID, "client_secret",
				CLIENT_SECRET));
		JsonNode connection = connection("typeform", token);
		assertThat(connection.get("accessToken").asString()).startsWith("tfp_DEKdyRXa4ybg");
		assertExpiresIn(connection, 604800);
	}

}
