package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** TikTok calls the client id client_key, in the authorization request and the token request alike. */
class TikTokProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/tiktok/token";

	@Test
	void clientKeyReplacesClientIdAndScopesAreCommaSeparated() {
		stubToken(TOKEN_PATH, "tiktok/token.json");
		String token = ServiceTokens.forApp("app-tiktok");
		Authorization authorization = connect("tiktok", token, "{}", "tiktok-code-123");
		assertThat(authorization.query()).containsEntry("client_key", CLIENT_ID)
			.containsEntry("scope", "user.info.basic,user.info.profile,user.info.stats,video.list")
			.doesNotContainKeys("client_id", "code_challenge");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"tiktok-code-123", "redirect_uri", callbackUri(), "client_key", CLIENT_ID, "client_secret",
				CLIENT_SECRET));
		JsonNode connection = connection("tiktok", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("act.example12345Example12345Example");
		assertExpiresIn(connection, 86400);
		assertThat(client().get("/connectors/tiktok", token).json().get("accountId").asString())
			.isEqualTo("afd97af1-b87b-48b9-ac98-410aghda5344");
	}

}
