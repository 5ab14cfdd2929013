package io.tokenbroker.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** GitHub answers form-encoded unless asked for JSON, and reports errors with HTTP 200. */
class GitHubProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/github/token";

	@Test
	void codeExchangeAsksForJsonAndSendsTheSecretWithThePkceVerifier() {
		stubToken(TOKEN_PATH, "github/token.json");
		String token = ServiceTokens.forApp("app-github");
		Authorization authorization = connect("github", token, "{}", "e72e16c7e42f292c6912");
		assertThat(authorization.query()).containsEntry("scope", "repo read:user user:email");
		LoggedRequest request = onlyRequestTo(TOKEN_PATH);
		assertThat(request.getHeader("Accept")).isEqualTo("application/json");
		assertThat(request.containsHeader("Authorization")).isFalse();
		assertThat(withVerifiedPkce(form(request), authorization)).isEqualTo(Map.of("grant_type",
				"authorization_code", "code", "e72e16c7e42f292c6912", "redirect_uri", callbackUri(), "client_id",
				CLIENT_ID, "client_secret", CLIENT_SECRET));

		JsonNode connection = connection("github", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo("gho_16C7e42F292c6912E7710c838347Ae178B4a");
		assertThat(connection.get("expiresAt").isNull()).isTrue();
		// GitHub reports granted scopes comma-separated.
		assertThat(client().get("/connectors/github", token).json().get("grantedScopes").toString())
			.isEqualTo("[\"repo\",\"read:user\",\"user:email\"]");
	}

	@Test
	void errorReportedWithHttp200IsAFailedAuthorization() {
		stubToken(TOKEN_PATH, "github/bad-verification-code.json");
		String token = ServiceTokens.forApp("app-github-error");
		BrokerClient.Response page = callback(start("github", token, "{}"), "expired-code");
		assertThat(page.body()).contains("was not connected").contains("bad_verification_code");
		assertThat(client().get("/connectors/github/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
	}

	@Test
	void formEncodedAnswerIsUnderstoodToo() {
		stub(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse()
			.withHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			.withBody("access_token=gho_FormEncodedToken0123456789&scope=repo%2Cread%3Auser&token_type=bearer")));
		String token = ServiceTokens.forApp("app-github-form");
		connect("github", token, "{\"scopes\":[\"repo\",\"read:user\"]}", "form-code");
		assertThat(connection("github", token).get("accessToken").asString())
			.isEqualTo("gho_FormEncodedToken0123456789");
	}

}
