package io.tokenbroker.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.Sandbox;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.WebSession;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The operator console in dev mode over plain HTTP: sign-in, headers, CSRF, disconnect, restore and purge. */
class ConsoleInDevModeTests extends H2BrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DisconnectedConnectionPurger purger;

	@Test
	void devModeSignsInAutomaticallyWithAnHttpOnlySameSiteSessionCookie() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = browser.get("/console");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Signed in as <strong>Developer</strong>").contains("Choose an app");
		String cookie = browser.setCookie("BROKER_CONSOLE").get(0);
		assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/console");
	}

	@Test
	void signInPageSendsADevModeOperatorToTheConsole() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response login = browser.get("/console/login");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.header("Location")).endsWith("/console");
	}

	@Test
	void consolePagesSendAStrictContentSecurityPolicyNoReferrerAndNoStore() {
		BrokerClient.Response page = new WebSession(client()).get("/console?app=console-headers");
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'")
			.contains("style-src 'self'")
			.contains("form-action 'self'")
			.doesNotContain("unsafe-inline")
			.doesNotContain("script-src");
		assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.header("Cache-Control")).contains("no-store");
		assertThat(page.body()).doesNotContain("<script").doesNotContain("style=");
	}

	@Test
	void formActionAllowsTheConfiguredProvidersAuthorizationPages() {
		BrokerClient.Response page = new WebSession(client()).get("/console");
		// The mock OAuth server's authorization page is another origin; the "Connect" form redirects there.
		String mockIdpOrigin = io.tokenbroker.support.MockIdp.server().baseUrl().toString().replaceAll("/$", "");
		assertThat(page.header("Content-Security-Policy")).contains(mockIdpOrigin);
	}

	@Test
	void appPageShowsConnectorsTheCatalogAndWhatIsNotConfigured() {
		connectSandbox("console-overview");
		BrokerClient.Response page = new WebSession(client()).get("/console?app=console-overview");
		assertThat(page.body()).contains("App: console-overview")
			.contains("id=\"status-sandbox\"")
			.contains("Active")
			.contains("alice@sandbox.test")
			.contains("profile, calendar.read")
			.contains("id=\"catalog-mockidp\"")
			.contains("Not configured on this broker")
			.contains("googlecalendar")
			.contains("id=\"audit-unavailable\"")
			.contains("id=\"backlog-unavailable\"");
	}

	@Test
	void actionWithoutCsrfTokenIsRefusedAndChangesNothing() {
		String token = connectSandbox("console-csrf");
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = browser.get("/console?app=console-csrf");
		String version = version(page);
		BrokerClient.Response answer = browser.post("/console/disconnect",
				Map.of("app", "console-csrf", "type", "sandbox", "version", version));
		assertThat(answer.status()).isEqualTo(403);
		assertThat(answer.body()).contains("This form has expired");
		assertThat(client().get("/connectors/sandbox/connection", token).status()).isEqualTo(200);
	}

	@Test
	void connectForAnAppIdNoCredentialCanNameIsRefusedAndStoresNothing() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = browser.get("/console?app=console-app-id");
		String app = "console app<id>";
		BrokerClient.Response answer = browser.post("/console/connect",
				Map.of("app", app, "type", "sandbox", "_csrf", WebSession.csrfToken(page)));
		assertThat(answer.status()).isEqualTo(403);
		assertThat(this.jdbc.queryForObject("select count(*) from connector where app_id = ?", Integer.class, app))
			.isZero();
	}

	@Test
	void anOversizeChunkedFormIsRefusedAsTooLarge() {
		String huge = "app=console-huge&type=sandbox&_csrf=" + "a".repeat(70_000);
		BrokerClient.Response answer = client().send(client().request("/console/connect", null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers
				.ofInputStream(() -> new java.io.ByteArrayInputStream(huge.getBytes())))
			.build());
		assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
		assertThat(answer.contentType()).startsWith("application/problem+json");
		assertThat(answer.json().get("code").asString()).isEqualTo("payload_too_large");
		assertThat(answer.json().get("detail").asString()).contains("larger");
	}

	@Test
	void disconnectStopsServingTheTokenAndRestoreBringsItBack() {
		String token = connectSandbox("console-restore");
		String accessToken = client().get("/connectors/sandbox/connection", token).json().get("accessToken")
			.asString();
		WebSession browser = new WebSession(client());
		BrokerClient.Response after = act(browser, "console-restore", "disconnect");
		assertThat(after.body()).contains("Sandbox (dev mode) is disconnected").contains("id=\"restore-sandbox\"");
		assertThat(client().get("/connectors/sandbox/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
		assertThat(client().get("/connectors/sandbox", token).json().get("status").asString())
			.isEqualTo("disconnected");

		BrokerClient.Response restored = act(browser, "console-restore", "restore");
		assertThat(restored.body()).contains("is restored");
		BrokerClient.Response served = client().get("/connectors/sandbox/connection", token);
		assertThat(served.status()).isEqualTo(200);
		assertThat(served.json().get("accessToken").asString()).isEqualTo(accessToken);
	}

	@Test
	void actionOnAConnectionThatChangedSinceThePageWasReadIsRefused() {
		connectSandbox("console-stale");
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = browser.get("/console?app=console-stale");
		String staleVersion = version(page);
		act(browser, "console-stale", "disconnect");
		act(browser, "console-stale", "restore");
		BrokerClient.Response answer = browser.follow(browser.post("/console/disconnect",
				Map.of("app", "console-stale", "type", "sandbox", "version", staleVersion, "_csrf",
						WebSession.csrfToken(page))));
		assertThat(answer.body()).contains("changed since it was read").contains("id=\"status-sandbox\"");
		assertThat(answer.body()).contains("data-status=\"active\"");
	}

	@Test
	void restoreAfterTheGracePeriodIsRefused() {
		String token = connectSandbox("console-grace");
		WebSession browser = new WebSession(client());
		BrokerClient.Response restorable = act(browser, "console-grace", "disconnect");
		this.jdbc.update("update connection set updated_at = dateadd('DAY', -8, current_timestamp) where app_id = ?",
				"console-grace");
		BrokerClient.Response page = browser.get("/console?app=console-grace");
		assertThat(page.body()).contains("grace period is over").doesNotContain("id=\"restore-sandbox\"");
		// A page loaded before the grace period ended still has the button.
		BrokerClient.Response answer = browser.follow(browser.post("/console/restore", Map.of("app", "console-grace",
				"type", "sandbox", "version", version(restorable), "_csrf", WebSession.csrfToken(restorable))));
		assertThat(answer.body()).contains("disconnected too long ago");
		assertThat(client().get("/connectors/sandbox/connection", token).status()).isEqualTo(409);
	}

	@Test
	void connectionsPastTheGracePeriodArePurgedAndRevoked() {
		String token = connectSandbox("console-purge");
		String accessToken = client().get("/connectors/sandbox/connection", token).json().get("accessToken")
			.asString();
		act(new WebSession(client()), "console-purge", "disconnect");
		this.jdbc.update("update connection set updated_at = dateadd('DAY', -8, current_timestamp) where app_id = ?",
				"console-purge");
		this.purger.purge();
		assertThat(this.jdbc.queryForObject("select count(*) from connection where app_id = ?", Integer.class,
				"console-purge")).isZero();
		assertThat(client().send(client().request("/dev/sandbox/userinfo", accessToken).build()).status())
			.isEqualTo(401);
	}

	@Test
	void recentlyDisconnectedConnectionsAreNotPurged() {
		String token = connectSandbox("console-no-purge");
		act(new WebSession(client()), "console-no-purge", "disconnect");
		this.purger.purge();
		assertThat(client().get("/connectors/sandbox", token).json().get("status").asString())
			.isEqualTo("disconnected");
	}

	@Test
	void consoleNeverShowsATokenOfTheConnection() {
		String token = connectSandbox("console-secrets");
		String accessToken = client().get("/connectors/sandbox/connection", token).json().get("accessToken")
			.asString();
		BrokerClient.Response page = new WebSession(client()).get("/console?app=console-secrets");
		assertThat(page.body()).doesNotContain(accessToken).doesNotContain("sandbox-at-").doesNotContain("sandbox-rt-");
	}

	@Test
	void signInWithAnApiKeyIsNotOfferedUntilKeysExist() {
		BrokerClient.Response login = client().getUrl(client().baseUrl() + "/console/login", "text/html");
		assertThat(login.body()).doesNotContain("api_key");
	}

	/** Connects the sandbox for {@code appId} through the API and its consent page; returns a service token. */
	private String connectSandbox(String appId) {
		String token = ServiceTokens.forApp(appId);
		String redirectUrl = client().put("/connectors/sandbox", token, "{}").json().get("redirectUrl").asString();
		assertThat(client().getUrl(Sandbox.callbackUrl(client(), redirectUrl, "approve"), "text/html").status())
			.isEqualTo(200);
		return token;
	}

	/** Presses a connector's action button on the app's page, as a browser with the page's CSRF token would. */
	private BrokerClient.Response act(WebSession browser, String app, String action) {
		BrokerClient.Response page = browser.get("/console?app=" + app);
		BrokerClient.Response answer = browser.post("/console/" + action, Map.of("app", app, "type", "sandbox",
				"version", version(page), "_csrf", WebSession.csrfToken(page)));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(303);
		return browser.follow(answer);
	}

	private static String version(BrokerClient.Response page) {
		var matcher = java.util.regex.Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(page.body());
		assertThat(matcher.find()).as(page.body()).isTrue();
		return matcher.group(1);
	}

}
