package io.tokenbroker.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/**
 * Slack: {@code slack} is the user token (user scopes in {@code user_scope}, token under {@code authed_user}),
 * {@code slackbot} the bot token at the top level. Errors are HTTP 200 with {@code ok:false}.
 */
class SlackProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/slack/token";

	@Test
	void userTokenIsRequestedWithUserScopeAndReadFromAuthedUser() {
		stubToken(TOKEN_PATH, "slack/user-token.json");
		String token = ServiceTokens.forApp("app-slack-user");
		Authorization authorization = connect("slack", token, "{}", "4724469134.4644010092847.232b4e6d82");
		assertThat(authorization.url()).startsWith(PROVIDERS.baseUrl() + "/slack/authorize?");
		assertThat(authorization.query())
			.containsEntry("user_scope", "channels:read,channels:history,chat:write,users:read,search:read")
			.doesNotContainKeys("scope", "code_challenge");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"4724469134.4644010092847.232b4e6d82", "redirect_uri", callbackUri(), "client_id", CLIENT_ID,
				"client_secret", CLIENT_SECRET));

		JsonNode connection = connection("slack", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("xoxp-1234-5678-91011-00e4dd");
		assertThat(connection.get("expiresAt").isNull()).isTrue();
		assertThat(connection.get("connectionConfig").properties()).hasSize(3);
		assertThat(connection.get("connectionConfig").get("team_id").asString()).isEqualTo("T9TK3CUKW");
		assertThat(connection.get("connectionConfig").get("team_name").asString()).isEqualTo("Slack Softball Team");
		assertThat(connection.get("connectionConfig").get("app_id").asString()).isEqualTo("A0KRD7HC3");
		JsonNode connector = client().get("/connectors/slack", token).json();
		assertThat(connector.get("accountId").asString()).isEqualTo("U1234ABCD");
		assertThat(connector.get("grantedScopes").size()).isEqualTo(5);
	}

	@Test
	void botTokenIsRequestedWithScopeAndReadFromTheTop() {
		stubToken(TOKEN_PATH, "slack/bot-token.json");
		String token = ServiceTokens.forApp("app-slack-bot");
		Authorization authorization = connect("slackbot", token, "{}", "4724469134.bot-code");
		assertThat(authorization.query())
			.containsEntry("scope", "chat:write,channels:read,channels:history,users:read,app_mentions:read")
			.doesNotContainKey("user_scope");
		assertThat(form(onlyRequestTo(TOKEN_PATH))).isEqualTo(Map.of("grant_type", "authorization_code", "code",
				"4724469134.bot-code", "redirect_uri", callbackUri(), "client_id", CLIENT_ID, "client_secret",
				CLIENT_SECRET));

		JsonNode connection = connection("slackbot", token);
		assertThat(connection.get("accessToken").asString())
			.isEqualTo("xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy");
		assertThat(connection.get("expiresAt").isNull()).isTrue();
		JsonNode config = connection.get("connectionConfig");
		assertThat(config.get("team_id").asString()).isEqualTo("T9TK3CUKW");
		assertThat(config.get("enterprise_id").asString()).isEqualTo("E12345678");
		assertThat(config.get("bot_user_id").asString()).isEqualTo("U0KRQLJ9H");
		assertThat(client().get("/connectors/slackbot", token).json().get("accountId").asString())
			.isEqualTo("U0KRQLJ9H");
	}

	@Test
	void okFalseWithHttp200IsAFailedAuthorization() {
		stubToken(TOKEN_PATH, "slack/invalid-code.json");
		String token = ServiceTokens.forApp("app-slack-ok-false");
		BrokerClient.Response page = callback(start("slackbot", token, "{}"), "4724469134.stale");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("was not connected").contains("invalid_code");
		BrokerClient.Response connection = client().get("/connectors/slackbot/connection", token);
		assertThat(connection.status()).isEqualTo(409);
		assertThat(connection.json().get("code").asString()).isEqualTo("not_connected");
	}

	@Test
	void rotatingUserTokenIsRefreshedFromSlacksTopLevelAnswer() {
		stub(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=authorization_code"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody(fixture("slack/user-token-rotating.json"))));
		stub(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=refresh_token"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody(fixture("slack/user-refresh.json"))));
		String token = ServiceTokens.forApp("app-slack-rotation");
		connect("slack", token, "{\"scopes\":[\"channels:read\",\"chat:write\"]}", "4724469134.rotating");

		// The user token expires within the broker's skew: the read refreshes it first.
		ageStoredTokens("app-slack-rotation");
		JsonNode connection = connection("slack", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("xoxe.xoxp-1-user-second");
		assertExpiresIn(connection, 43200);
		List<Map<String, String>> refreshes = requestsTo(TOKEN_PATH).stream()
			.map(ProviderStubTestBase::form)
			.filter((f) -> "refresh_token".equals(f.get("grant_type")))
			.toList();
		assertThat(refreshes).containsExactly(Map.of("grant_type", "refresh_token", "refresh_token",
				"xoxe-1-user-refresh-first", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
	}

}
