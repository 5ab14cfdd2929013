package io.tokenbroker.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.AuditEventsProbe;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ConnectPageClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/**
 * An app names itself for its end users: the connect page, where a person decides whether to hand an account to the
 * app, shows that name with the app's id beside it. Only the app's admins set it, and only for their own app.
 */
class AppProfileTests extends H2BrokerTestBase {

	@Test
	void anAppWithoutANameIsShownByItsId() {
		BrokerClient.Response profile = client().get("/app", ServiceTokens.forApp("profile-none"));

		assertThat(profile.status()).as(profile.toString()).isEqualTo(200);
		assertThat(profile.json().get("id").asString()).isEqualTo("profile-none");
		assertThat(profile.json().get("displayName").isNull()).isTrue();
		assertThat(openConnectPage("profile-none").body()).contains(">profile-none<").doesNotContain("id=\"app-id\"");
	}

	@Test
	void theConnectPageShowsTheAppsNameWithItsIdBesideIt() {
		BrokerClient.Response renamed = rename("profile-named", "{\"displayName\":\"  Acme CRM  \"}");

		assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
		assertThat(renamed.json().get("displayName").asString()).isEqualTo("Acme CRM");
		assertThat(client().get("/app", ServiceTokens.forApp("profile-named")).json().get("displayName").asString())
			.isEqualTo("Acme CRM");
		String page = openConnectPage("profile-named").body();
		assertThat(page).contains("<strong>Acme CRM</strong> will use your")
			.contains("<span id=\"app-name\">Acme CRM</span>")
			.contains("(profile-named)");
	}

	@Test
	void aNameIsTextOnThePageNeverMarkup() {
		rename("profile-markup", "{\"displayName\":\"<img src=x onerror=alert(1)> & Co\"}");

		assertThat(openConnectPage("profile-markup").body()).doesNotContain("<img")
			.contains("&lt;img src=x onerror=alert(1)&gt; &amp; Co");
	}

	@Test
	void aBlankNameRemovesItAndTheIdIsShownAgain() {
		rename("profile-cleared", "{\"displayName\":\"Acme CRM\"}");

		BrokerClient.Response cleared = rename("profile-cleared", "{\"displayName\":\" \"}");

		assertThat(cleared.status()).isEqualTo(200);
		assertThat(cleared.json().get("displayName").isNull()).isTrue();
		assertThat(openConnectPage("profile-cleared").body()).doesNotContain("Acme CRM").contains(">profile-cleared<");
	}

	@Test
	void misleadingOrMalformedNamesAreRefusedAndChangeNothing() {
		rename("profile-bad", "{\"displayName\":\"Acme CRM\"}");
		List<String> bodies = List.of("{\"displayName\":\"" + "a".repeat(101) + "\"}",
				"{\"displayName\":\"Acme\\nSign in at evil.example\"}", "{\"displayName\":\"Acme \\u202eMRC\"}",
				"{\"displayName\":\"Acme\\u0000\"}", "{\"displayName\":\"Acme \\ud83d\"}", "{\"displayName\":42}",
				"{\"displayName\":[\"a\"]}", "not json", "");

		for (String body : bodies) {
			BrokerClient.Response refused = rename("profile-bad", body);
			assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
			assertThat(refused.contentType()).as(body).startsWith("application/problem+json");
			assertThat(refused.json().get("code").asString()).as(body).isNotBlank();
		}
		assertThat(client().get("/app", ServiceTokens.forApp("profile-bad")).json().get("displayName").asString())
			.isEqualTo("Acme CRM");
	}

	@Test
	void onlyTheAppsAdminsSetItsNameAndOnlyForTheirOwnApp() {
		BrokerClient.Response reader = client().send(client()
			.request("/app", ServiceTokens.forApp("profile-own", ServiceTokens.READ))
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Mine\"}"))
			.build());
		rename("profile-other", "{\"displayName\":\"Other app\"}");

		assertThat(reader.status()).isEqualTo(403);
		assertThat(client().get("/app", ServiceTokens.forApp("profile-own")).json().get("displayName").isNull())
			.isTrue();
		assertThat(openConnectPage("profile-own").body()).doesNotContain("Other app");
	}

	@Test
	void aRenameIsInTheAuditTrail() {
		rename("profile-audited", "{\"displayName\":\"Acme CRM\"}");

		JsonNode event = AuditEventsProbe.await(client(), ServiceTokens.forApp("profile-audited"),
				"action=app.updated", AuditEventsProbe.action("app.updated"));

		assertThat(event.toString()).contains("profile-audited").doesNotContain("Acme CRM");
	}

	private BrokerClient.Response rename(String app, String body) {
		return client().send(client().request("/app", ServiceTokens.forApp(app))
			.header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/** Opens an end user's connect link for {@code app}'s mock provider connector, as the user's browser would. */
	private BrokerClient.Response openConnectPage(String app) {
		BrokerClient.Response put = client().put("/connectors/mockidp", ServiceTokens.forApp(app), "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		String connectorId = put.json().get("connectorId").asString();
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, "user-a"), null);
		assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
		BrokerClient.Response page = new ConnectPageClient(client()).open(connect.json().get("redirectUrl").asString());
		assertThat(page.status()).as(page.toString()).isEqualTo(200);
		return page;
	}

}
