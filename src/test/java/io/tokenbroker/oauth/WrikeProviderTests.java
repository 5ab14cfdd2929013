package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Wrike names the account's data-center host in the token answer; the API lives there. */
class WrikeProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/wrike/token";

	@Test
	void connectionKeepsTheDataCenterHost() {
		stubToken(TOKEN_PATH, "wrike/token.json");
		String token = ServiceTokens.forApp("app-wrike");
		Authorization authorization = connect("wrike", token, "{}", "wrike-code-3fa2");
		assertThat(authorization.query()).containsEntry("scope", "Default,wsReadWrite")
			.doesNotContainKey("code_challenge");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"wrike-code-3fa2", "redirect_uri", callbackUri(), "client_id", CLIENT_ID, "client_secret",
				CLIENT_SECRET));
		JsonNode connection = connection("wrike", token);
		assertThat(connection.get("accessToken").asString()).endsWith(".wrike-access");
		assertExpiresIn(connection, 3600);
		assertThat(connection.get("connectionConfig").get("host").asString()).isEqualTo("app-eu.wrike.com");
	}

}
