package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Dropbox issues a refresh token only for token_access_type=offline; its access tokens live four hours. */
class DropboxProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/dropbox/token";

	@Test
	void authorizationAsksForOfflineAccessAndTheExchangeKeepsTheAccount() {
		stubToken(TOKEN_PATH, "dropbox/token.json");
		String token = ServiceTokens.forApp("app-dropbox");
		Authorization authorization = connect("dropbox", token, "{}", "dropbox-code-ABCDEFG");
		assertThat(authorization.query()).containsEntry("token_access_type", "offline")
			.containsEntry("scope", "account_info.read files.metadata.read files.content.read files.content.write");
		assertThat(withVerifiedPkce(form(onlyRequestTo(TOKEN_PATH)), authorization)).isEqualTo(Map.of("grant_type",
				"authorization_code", "code", "dropbox-code-ABCDEFG", "redirect_uri", callbackUri(), "client_id",
				CLIENT_ID, "client_secret", CLIENT_SECRET));
		JsonNode connection = connection("dropbox", token);
		assertThat(connection.get("accessToken").asString()).startsWith("sl.u.AbX9y6Fe3AuH5o66");
		assertExpiresIn(connection, 14400);
		assertThat(connection.get("connectionConfig").get("account_id").asString())
			.isEqualTo("dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc");
		assertThat(client().get("/connectors/dropbox", token).json().get("accountId").asString())
			.isEqualTo("dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc");
	}

}
