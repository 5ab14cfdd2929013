package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Notion: HTTP Basic client authentication and a JSON body; no scopes, no expiry; the workspace is kept. */
class NotionProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/notion/token";

	@Test
	void codeExchangeUsesBasicAuthenticationAndAJsonBody() {
		stubToken(TOKEN_PATH, "notion/token.json");
		String token = ServiceTokens.forApp("app-notion");
		Authorization authorization = connect("notion", token, "{}", "03a0066c-f0cf-442c-bcd9-sample");
		assertThat(authorization.query()).containsEntry("owner", "user")
			.containsEntry("client_id", CLIENT_ID)
			.doesNotContainKeys("scope", "code_challenge");
		LoggedRequest request = onlyRequestTo(TOKEN_PATH);
		assertThat(request.getHeader("Authorization")).isEqualTo(basicAuthorization());
		JsonNode body = jsonBody(request);
		assertThat(body.properties()).hasSize(3);
		assertThat(body.get("grant_type").asString()).isEqualTo("authorization_code");
		assertThat(body.get("code").asString()).isEqualTo("03a0066c-f0cf-442c-bcd9-sample");
		assertThat(body.get("redirect_uri").asString()).isEqualTo(callbackUri());
	}

	@Test
	void connectionKeepsTheWorkspaceAndNeverExpires() {
		stubToken(TOKEN_PATH, "notion/token.json");
		String token = ServiceTokens.forApp("app-notion-connection");
		connect("notion", token, "{}", "03a0066c-code");
		JsonNode connection = connection("notion", token);
		assertThat(connection.get("accessToken").asString())
			.isEqualTo("ntn_4a1f2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b");
		assertThat(connection.get("expiresAt").isNull()).isTrue();
		JsonNode config = connection.get("connectionConfig");
		assertThat(config.get("workspace_id").asString()).isEqualTo("a565a4d7-2882-41b5-964a-9a9d9e1c36f7");
		assertThat(config.get("workspace_name").asString()).isEqualTo("Acme HQ");
		assertThat(config.get("bot_id").asString()).isEqualTo("b3414d65-1224-4ff7-8ffe-cc9d8773d126");
		JsonNode connector = client().get("/connectors/notion", token).json();
		assertThat(connector.get("accountId").asString()).isEqualTo("4d0a16f8-8f3e-4b2a-9f6c-0e1d2c3b4a59");
		assertThat(connector.get("accountEmail").asString()).isEqualTo("ada@acme.test");
	}

}
