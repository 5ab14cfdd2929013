package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Linear: comma-separated scopes, actor and consent prompt, PKCE; 24-hour tokens. */
class LinearProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/linear/token";

	@Test
	void authorizationActsAsTheUserAndTheExchangeUsesPkce() {
		stubToken(TOKEN_PATH, "linear/token.json");
		String token = ServiceTokens.forApp("app-linear");
		Authorization authorization = connect("linear", token, "{}", "9a5190f637d8b1ad0ca92ab3ec4c0d03");
		assertThat(authorization.query()).containsEntry("scope", "read,write")
			.containsEntry("actor", "user")
			.containsEntry("prompt", "consent");
		assertThat(withVerifiedPkce(form(onlyRequestTo(TOKEN_PATH)), authorization)).isEqualTo(Map.of("grant_type",
				"authorization_code", "code", "9a5190f637d8b1ad0ca92ab3ec4c0d03", "redirect_uri", callbackUri(),
				"client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
		JsonNode connection = connection("linear", token);
		assertThat(connection.get("accessToken").asString()).startsWith("lin_oat_");
		assertExpiresIn(connection, 86399);
		assertThat(client().get("/connectors/linear", token).json().get("grantedScopes").toString())
			.isEqualTo("[\"read\",\"write\"]");
	}

}
