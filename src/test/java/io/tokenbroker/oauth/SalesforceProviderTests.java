package io.tokenbroker.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Salesforce: the login host fills the URLs; the answer names the instance and never says when it expires. */
class SalesforceProviderTests extends ProviderStubTestBase {

	private static final String LOGIN = "/salesforce/login.salesforce.com/services/oauth2";

	@Test
	void codeExchangeGoesToTheDefaultLoginHostWithPkce() {
		stubToken(LOGIN + "/token", "salesforce/token.json");
		Authorization authorization = connect("salesforce", ServiceTokens.forApp("app-sf"), "{}", "aPrxsmIEeqM9");
		assertThat(authorization.url()).startsWith(PROVIDERS.baseUrl() + LOGIN + "/authorize?");
		assertThat(authorization.query()).containsEntry("scope", "api refresh_token");
		assertThat(withVerifiedPkce(form(onlyRequestTo(LOGIN + "/token")), authorization)).isEqualTo(Map.of(
				"grant_type", "authorization_code", "code", "aPrxsmIEeqM9", "redirect_uri", callbackUri(), "client_id",
				CLIENT_ID, "client_secret", CLIENT_SECRET));
	}

	@Test
	void connectionKeepsTheInstanceUrlAndAssumesTheDefaultSessionLifetime() {
		stubToken(LOGIN + "/token", "salesforce/token.json");
		String token = ServiceTokens.forApp("app-sf-connection");
		connect("salesforce", token, "{}", "aPrxsmIEeqM9");
		JsonNode connection = connection("salesforce", token);
		assertThat(connection.get("accessToken").asString()).startsWith("00D5e000000ABCD!");
		// No expires_in in the answer: the catalog's default-expires-in (two hours) applies.
		assertExpiresIn(connection, 7200);
		JsonNode config = connection.get("connectionConfig");
		assertThat(config.get("instance_url").asString()).isEqualTo("https://acme.my.salesforce.com");
		assertThat(config.get("identity_url").asString())
			.isEqualTo("https://login.salesforce.com/id/00D5e000000ABCDEAZ/0055e000001XYZqAAG");
		assertThat(config.get("hostname").asString()).isEqualTo("login.salesforce.com");
	}

	@Test
	void myDomainHostIsUsedAndForeignHostsAreRejected() {
		String token = ServiceTokens.forApp("app-sf-mydomain");
		Authorization authorization = start("salesforce", token,
				"{\"connectionConfig\":{\"hostname\":\"acme.my.salesforce.com\"}}");
		assertThat(authorization.url())
			.startsWith(PROVIDERS.baseUrl() + "/salesforce/acme.my.salesforce.com/services/oauth2/authorize?");
		BrokerClient.Response foreign = client().put("/connectors/salesforce", token,
				"{\"connectionConfig\":{\"hostname\":\"login.salesforce.com.attacker.example\"}}");
		assertThat(foreign.status()).isEqualTo(400);
		assertThat(foreign.json().get("code").asString()).isEqualTo("invalid_connection_config");
		assertThat(client().get("/connectors/salesforce", token).json().get("connectionConfig").get("hostname")
			.asString()).isEqualTo("acme.my.salesforce.com");
	}

}
