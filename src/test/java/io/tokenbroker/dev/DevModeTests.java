package io.tokenbroker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Dev mode as {@code ./mvnw spring-boot:run} starts it: embedded H2, the same migrations, the sandbox provider. */
class DevModeTests extends H2BrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void migrationsRunOnH2() {
		assertThat(this.jdbc.queryForObject("select count(*) from \"flyway_schema_history\" where \"success\" = false",
				Integer.class)).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from \"flyway_schema_history\" where \"version\" = '1'",
				Integer.class)).isEqualTo(1);
	}

	@Test
	void tokenPrintedAtStartIsAcceptedByThisBroker(@Autowired DevModeBanner banner) throws Exception {
		String token = banner.demoToken();
		BrokerClient.Response connectors = client().get("/connectors", token);
		assertThat(connectors.status()).as(connectors.body()).isEqualTo(200);
		assertThat(client().put("/connectors/sandbox", token, "{}").status()).isEqualTo(200);
	}

	@Test
	void fullFlowAgainstARealAuthorizationServerOnH2() {
		String token = ServiceTokens.forApp("app-h2");
		assertThat(OAuthDance.connect(client(), token, MockIdp.TYPE).status()).isEqualTo(200);
		String accessToken = client().get("/connectors/mockidp/connection", token).json().get("accessToken")
			.asString();
		BrokerClient.Response userinfo = client().send(HttpRequest
			.newBuilder(URI.create(MockIdp.server().userInfoUrl(MockIdp.issuer()).toString()))
			.header("Authorization", "Bearer " + accessToken)
			.build());
		assertThat(userinfo.status()).isEqualTo(200);
	}

	@Test
	void sandboxProviderIsListedAsConfigured() {
		BrokerClient.Response integrations = client().get("/integrations", ServiceTokens.forApp("app-sandbox"));
		assertThat(integrations.body()).contains("\"integration_type\":\"sandbox\"");
	}

	@Test
	void sandboxConsentPageListsAccountsAndScopes() {
		String token = ServiceTokens.forApp("app-sandbox-page");
		String redirectUrl = client().put("/connectors/sandbox", token, "{}").json().get("redirectUrl").asString();
		BrokerClient.Response page = client().getUrl(redirectUrl, "text/html");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("alice@sandbox.test").contains("calendar.read").contains("Approve")
			.contains("Deny");
	}

	@Test
	void sandboxFlowConnectsAndItsTokenWorks() {
		String token = ServiceTokens.forApp("app-sandbox-flow");
		String redirectUrl = client().put("/connectors/sandbox", token, "{}").json().get("redirectUrl").asString();
		BrokerClient.Response callback = client().getUrl(decide(redirectUrl, "approve"), "text/html");
		assertThat(callback.body()).contains("Connected to Sandbox").contains("bob@sandbox.test");

		String accessToken = client().get("/connectors/sandbox/connection", token).json().get("accessToken")
			.asString();
		BrokerClient.Response userinfo = client().send(client().request("/dev/sandbox/userinfo", accessToken).build());
		assertThat(userinfo.json().get("email").asString()).isEqualTo("bob@sandbox.test");
	}

	@Test
	void sandboxDenialIsShownAsFailedConnection() {
		String token = ServiceTokens.forApp("app-sandbox-deny");
		String redirectUrl = client().put("/connectors/sandbox", token, "{}").json().get("redirectUrl").asString();
		BrokerClient.Response callback = client().getUrl(decide(redirectUrl, "deny"), "text/html");
		assertThat(callback.body()).contains("was not connected").contains("access_denied");
		assertThat(client().get("/connectors/sandbox/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
	}

	/** Submits the sandbox consent form as a browser would and returns where it redirects. */
	private String decide(String redirectUrl, String decision) {
		Map<String, String> query = OAuthDance.query(redirectUrl);
		String form = "decision=" + decision + "&account=bob%40sandbox.test&redirect_uri="
				+ enc(query.get("redirect_uri")) + "&state=" + enc(query.get("state")) + "&scope="
				+ enc(query.get("scope")) + "&code_challenge=" + enc(query.get("code_challenge"));
		BrokerClient.Response answer = client().send(client().request("/dev/sandbox/authorize", null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
		assertThat(answer.status()).isEqualTo(302);
		return answer.header("Location");
	}

	private static String enc(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

}
