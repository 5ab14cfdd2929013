package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Airtable requires PKCE and authenticates the client with HTTP Basic. */
class AirtableProviderTests extends ProviderStubTestBase {

	private static final String TOKEN_PATH = "/airtable/token";

	@Test
	void codeExchangeUsesPkceAndBasicAuthenticationWithoutTheSecretInTheBody() {
		stubToken(TOKEN_PATH, "airtable/token.json");
		String token = ServiceTokens.forApp("app-airtable");
		Authorization authorization = connect("airtable", token, "{}", "airtable-code-Qk9");
		assertThat(authorization.query())
			.containsEntry("scope", "data.records:read data.records:write schema.bases:read user.email:read");
		LoggedRequest request = onlyRequestTo(TOKEN_PATH);
		assertThat(request.getHeader("Authorization")).isEqualTo(basicAuthorization());
		assertThat(withVerifiedPkce(form(request), authorization)).isEqualTo(Map.of("grant_type",
				"authorization_code", "code", "airtable-code-Qk9", "redirect_uri", callbackUri()));
		JsonNode connection = connection("airtable", token);
		assertThat(connection.get("accessToken").asString())
			.isEqualTo("oaaBy1vfr3N5gU4sL.v1.eyJ1c2VySWQiOiJ1c3JGYWtlIn0.fake-airtable-access");
		assertExpiresIn(connection, 3600);
	}

}
