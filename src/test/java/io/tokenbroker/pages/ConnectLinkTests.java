package io.tokenbroker.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ConnectPageClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/**
 * An end user's connect link belongs to the person who started it: the broker's page says what is connected for whom,
 * the browser that opens it first is the only one that can continue, and only that browser can finish at the
 * callback. Then the browser goes back to the app's page with the outcome.
 */
class ConnectLinkTests extends H2BrokerTestBase {

	private static final String APP_PAGE = "https://app.example.com/done";

	@Test
	void theLinkShowsWhatIsConnectedForWhomAndBindsTheBrowserWithAHostCookie() {
		String connectorId = connector("link-page");
		String link = connect("link-page", connectorId, "user-a", null);
		assertThat(link).startsWith(client().baseUrl() + "/connect/");

		BrokerClient.Response page = new ConnectPageClient(client()).open(link);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("link-page").contains("user-a").contains("Continue to Mock IdP")
			.doesNotContain("<script");
		assertThat(page.header("Set-Cookie")).startsWith("__Host-broker-connect-auth_")
			.contains("Path=/")
			.contains("Secure")
			.contains("HttpOnly")
			.contains("SameSite=Lax")
			.doesNotContain("Domain");
		assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'self';")
			.contains("form-action 'self' " + MockIdp.server().baseUrl().toString().replaceAll("/$", ""));
	}

	@Test
	void theBrokerGoesToTheProviderOnlyAfterTheConfirmationIsPosted() {
		String connectorId = connector("link-confirm");
		String link = connect("link-confirm", connectorId, "user-a", null);
		ConnectPageClient browser = new ConnectPageClient(client());
		browser.open(link);

		BrokerClient.Response confirmed = browser.decide(link, "allow");

		assertThat(confirmed.status()).isEqualTo(303);
		assertThat(confirmed.header("Location")).startsWith(MockIdp.server().baseUrl().toString())
			.contains("state=")
			.contains("code_challenge=");
		assertThat(browser.decide(link, "allow").status()).as("the confirmation works once").isEqualTo(400);
	}

	@Test
	void aLinkOpenedInASecondBrowserIsRefusedAndChangesNothing() {
		String connectorId = connector("link-second");
		String link = connect("link-second", connectorId, "user-a", null);
		new ConnectPageClient(client()).open(link);

		ConnectPageClient other = new ConnectPageClient(client());
		BrokerClient.Response opened = other.open(link);
		BrokerClient.Response posted = other.decide(link, "allow");

		assertThat(opened.status()).isEqualTo(400);
		assertThat(opened.body()).contains("This link was already opened");
		assertThat(opened.header("Set-Cookie")).isNull();
		assertThat(posted.status()).isEqualTo(400);
		assertNotConnected("link-second", connectorId, "user-a");
	}

	@Test
	void theConfirmationNeedsThePagesOwnToken() {
		String connectorId = connector("link-csrf");
		String link = connect("link-csrf", connectorId, "user-a", null);
		ConnectPageClient browser = new ConnectPageClient(client());
		browser.open(link);

		BrokerClient.Response forged = client().send(HttpRequest.newBuilder(URI.create(link))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", browser.cookie())
			.POST(HttpRequest.BodyPublishers.ofString("decision=allow&confirmation=guessed-" + "x".repeat(40)))
			.build());

		assertThat(forged.status()).isEqualTo(400);
		assertThat(forged.header("Location")).isNull();
		assertThat(browser.decide(link, "allow").status()).as("the real page still works").isEqualTo(303);
	}

	@Test
	void onlyTheContinueButtonsValueGoesOnAndAnythingElseIsRefusedChangingNothing() {
		String connectorId = connector("link-decision");
		String link = connect("link-decision", connectorId, "user-a", null);
		ConnectPageClient browser = new ConnectPageClient(client());
		browser.open(link);

		for (String decision : Arrays.asList(null, "", "yes", "ALLOW", "allow ", "cancel,allow")) {
			BrokerClient.Response refused = browser.decide(link, decision);
			assertThat(refused.status()).as(String.valueOf(decision)).isEqualTo(400);
			assertThat(refused.header("Location")).as(String.valueOf(decision)).isNull();
			assertThat(refused.body()).as(String.valueOf(decision)).contains("Nothing was changed");
		}

		assertThat(browser.decide(link, "allow").status()).as("the page still works").isEqualTo(303);
	}

	@Test
	void aProviderLinkFinishedInAnotherBrowserConnectsNothingAndItsCodeIsNeverRedeemed() {
		String connectorId = connector("link-hijack");
		String link = connect("link-hijack", connectorId, "attacker", null);
		String providerUrl = new ConnectPageClient(client()).confirm(link);

		String callback = OAuthDance.callbackUrl(client(), providerUrl);
		BrokerClient.Response victim = client().getUrl(callback, "text/html");

		assertThat(victim.status()).isEqualTo(400);
		assertThat(victim.body()).contains("started in another browser");
		assertNotConnected("link-hijack", connectorId, "attacker");
		assertThat(MockIdp.codeWasNeverRedeemed(OAuthDance.query(callback).get("code"))).isTrue();
	}

	@Test
	void aConnectedEndUserGoesStraightBackToTheAppsPageWithTheOutcomeOnly() {
		String connectorId = connector("link-back");
		String link = connect("link-back", connectorId, "user-a", APP_PAGE);
		ConnectPageClient browser = new ConnectPageClient(client());
		String callback = OAuthDance.callbackUrl(client(), browser.confirm(link));
		providerAnswersFor("user-a");

		BrokerClient.Response back = browser.get(callback);

		assertThat(back.status()).isEqualTo(303);
		assertThat(OAuthDance.query(back.header("Location"))).containsEntry("status", "connected")
			.containsEntry("connector_id", connectorId)
			.doesNotContainKeys("code", "state", "error");
		assertThat(back.header("Location")).startsWith(APP_PAGE + "?");
		assertThat(back.header("Set-Cookie")).contains("Max-Age=0");
		assertThat(userToken("link-back", connectorId, "user-a").status()).isEqualTo(200);
	}

	@Test
	void cancelOnTheBrokersPageGoesBackWithDeniedAndStoresNothing() {
		String connectorId = connector("link-cancel");
		String link = connect("link-cancel", connectorId, "user-a", APP_PAGE);
		ConnectPageClient browser = new ConnectPageClient(client());
		browser.open(link);

		BrokerClient.Response cancelled = browser.decide(link, "cancel");

		assertThat(cancelled.status()).isEqualTo(303);
		assertThat(OAuthDance.query(cancelled.header("Location"))).containsEntry("status", "denied")
			.containsEntry("connector_id", connectorId);
		assertNotConnected("link-cancel", connectorId, "user-a");
	}

	@Test
	void aRefusalAtTheProviderGoesBackWithDeniedAndItsDescriptionIsNeverShown() {
		String connectorId = connector("link-denied");
		String link = connect("link-denied", connectorId, "user-a", null);
		ConnectPageClient browser = new ConnectPageClient(client());
		String state = OAuthDance.query(browser.confirm(link)).get("state");

		BrokerClient.Response page = browser.get(client().baseUrl() + "/oauth/callback?state=" + state
				+ "&error=access_denied&error_description="
				+ URLEncoder.encode("Call +1 555 0100 at evil.example to restore access", StandardCharsets.UTF_8));

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Access was not granted").doesNotContain("evil.example")
			.doesNotContain("555 0100");
		assertNotConnected("link-denied", connectorId, "user-a");
	}

	@Test
	void anUnknownOrMalformedLinkIsNotFound() {
		for (String ticket : List.of("x".repeat(43), "..%2F..%2Fadmin", "a".repeat(300), "%00%0d%0a")) {
			BrokerClient.Response page = client().getUrl(client().baseUrl() + "/connect/" + ticket, "text/html");
			assertThat(page.status()).as(ticket).isIn(400, 404);
			assertThat(page.header("Set-Cookie")).as(ticket).isNull();
		}
	}

	private String connector(String app) {
		BrokerClient.Response put = client().put("/connectors/mockidp", ServiceTokens.forApp(app), "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return put.json().get("connectorId").asString();
	}

	private String connect(String app, String connectorId, String user, String returnUrl) {
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, user), (returnUrl != null) ? "{\"returnUrl\":\"" + returnUrl + "\"}" : null);
		assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
		JsonNode json = connect.json();
		return json.get("redirectUrl").asString();
	}

	/**
	 * The account the provider answers for at the next code redemption. Queued only right before a code is redeemed:
	 * the provider's queue is shared, and an identity left in it would answer another test's sign-in.
	 */
	private static void providerAnswersFor(String user) {
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), user + "@provider.test",
				"JWT", List.of("broker-client"), Map.of(), 3600));
	}

	private BrokerClient.Response userToken(String app, String connectorId, String user) {
		return client().send(client().request("/app-user-connectors/" + connectorId + "/connection",
				ServiceTokens.forApp(app))
			.header("On-Behalf-Of", "Bearer " + UserTokens.forUser(app, user))
			.GET()
			.build());
	}

	private void assertNotConnected(String app, String connectorId, String user) {
		BrokerClient.Response read = userToken(app, connectorId, user);
		assertThat(read.status()).as(read.toString()).isIn(404, 409);
	}

}
