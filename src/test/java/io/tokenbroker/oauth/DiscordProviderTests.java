package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Discord: a standard form exchange with the secret in the body; seven-day tokens. */
class DiscordProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/discord/token";

	@Test
	void codeExchangeSendsTheSecretInTheFormAndStoresASevenDayToken() {
		stubToken(TOKEN_PATH, "discord/token.json");
		String token = ServiceTokens.forApp("app-discord");
		Authorization authorization = connect("discord", token, "{}", "NhhvTDYsFcdgNLnnLijcl7Ku7bEEeee");
		assertThat(authorization.query()).containsEntry("scope", "identify email guilds")
			.doesNotContainKey("code_challenge");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"NhhvTDYsFcdgNLnnLijcl7Ku7bEEeee", "redirect_uri", callbackUri(), "client_id", CLIENT_ID,
				"client_secret", CLIENT_SECRET));
		JsonNode connection = connection("discord", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("6qrZcUqja7812RVdnEKjpzOL4CvHBFG");
		assertExpiresIn(connection, 604800);
	}

}
