package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Box: scopes live on the app, so none are requested; one-hour tokens. */
class BoxProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/box/token";

	@Test
	void codeExchangeWithoutScopesStoresAOneHourToken() {
		stubToken(TOKEN_PATH, "box/token.json");
		String token = ServiceTokens.forApp("app-box");
		Authorization authorization = connect("box", token, "{}", "n22JPxrh18m4Y0wIZPIqYZK7VRrsMTWW");
		assertThat(authorization.query()).doesNotContainKeys("scope", "code_challenge");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"n22JPxrh18m4Y0wIZPIqYZK7VRrsMTWW", "redirect_uri", callbackUri(), "client_id", CLIENT_ID,
				"client_secret", CLIENT_SECRET));
		JsonNode connection = connection("box", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("c3FIOG9vSGV4VHz8QzNzVV5gU3ZaT1dhQ2ZjUE");
		assertExpiresIn(connection, 3600);
	}

	@Test
	void unknownCodeLeavesTheConnectorUnconnected() {
		stubToken(TOKEN_PATH, 400, "box/invalid-grant.json");
		String token = ServiceTokens.forApp("app-box-invalid");
		BrokerClient.Response page = callback(start("box", token, "{}"), "used-code");
		assertThat(page.body()).contains("was not connected").contains("invalid_grant");
		assertThat(client().get("/connectors/box/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
	}

}
