package io.tokenbroker.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.WebSession;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in production mode: no automatic sign-in, sign-in with the operator's OIDC provider (a real OAuth
 * server) restricted to allowed addresses, sign-in with an API key limited to its app, a Secure session cookie.
 */
@Import(ConsoleOnPostgresTests.TestApiKeys.class)
class ConsoleOnPostgresTests extends PostgresBrokerTestBase {

	static final String KEY_APP = "console-key-app";

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void oidc(DynamicPropertyRegistry registry) {
		registry.add("broker.console.oidc.issuer-uri", () -> MockIdp.server().issuerUrl(MockIdp.issuer()).toString());
		registry.add("broker.console.oidc.client-id", () -> "broker-console");
		registry.add("broker.console.oidc.client-secret", () -> "console-secret-for-tests");
		registry.add("broker.console.oidc.allowed-emails", () -> "ops@example.com,@operators.example.org");
		registry.add("broker.console.oidc.display-name", () -> "Mock IdP");
	}

	@Test
	void consoleAsksForSignInOutsideDevMode() {
		BrokerClient.Response answer = new WebSession(client()).get("/console");
		assertThat(answer.status()).isEqualTo(302);
		assertThat(answer.header("Location")).endsWith("/console/login");
		BrokerClient.Response login = new WebSession(client()).get("/console/login");
		assertThat(login.body()).contains("Sign in with <span>Mock IdP</span>").contains("name=\"api_key\"");
	}

	@Test
	void operatorSignsInWithTheIdentityProviderAndGetsASecureCookie() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithIdentityProvider(browser, "ops@example.com");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Signed in as <strong>ops@example.com</strong>").contains("Sign out");
		assertThat(browser.setCookie("BROKER_CONSOLE")).isNotEmpty()
			.allSatisfy((cookie) -> assertThat(cookie).contains("Secure").contains("HttpOnly").contains("SameSite=Lax"));
	}

	@Test
	void addressOfAnAllowedDomainMaySignIn() {
		BrokerClient.Response page = signInWithIdentityProvider(new WebSession(client()), "kim@operators.example.org");
		assertThat(page.body()).contains("Signed in as <strong>kim@operators.example.org</strong>");
	}

	@Test
	void identityProviderAccountNotOnTheAllowListIsRefused() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithIdentityProvider(browser, "someone@elsewhere.example");
		assertThat(page.body()).contains("Sign-in did not succeed").doesNotContain("Signed in as");
		assertThat(browser.get("/console").status()).isEqualTo(302);
	}

	@Test
	void allowedAddressThatTheProviderDoesNotVouchForIsRefused() {
		for (Map<String, Object> claims : List.of(Map.<String, Object>of("email", "ops@example.com"),
				Map.<String, Object>of("email", "ops@example.com", "email_verified", false))) {
			WebSession browser = new WebSession(client());
			BrokerClient.Response page = signInWithIdentityProvider(browser, claims);
			assertThat(page.body()).as(claims.toString()).contains("Sign-in did not succeed")
				.doesNotContain("Signed in as");
			assertThat(browser.get("/console").status()).isEqualTo(302);
		}
	}

	@Test
	void signingOutEndsTheSession() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithIdentityProvider(browser, "ops@example.com");
		BrokerClient.Response out = browser.follow(
				browser.post("/console/logout", Map.of("_csrf", WebSession.csrfToken(page))));
		assertThat(out.body()).contains("You are signed out.");
		assertThat(browser.get("/console").status()).isEqualTo(302);
	}

	@Test
	void apiKeySignInSeesOnlyTheKeysApp() {
		connectMockIdp(KEY_APP);
		connectMockIdp("console-other-app");
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithApiKey(browser, TestApiKeys.ADMIN_KEY);
		assertThat(page.body()).contains("App: " + KEY_APP).doesNotContain("Open an app by its id");
		BrokerClient.Response other = browser.get("/console?app=console-other-app");
		assertThat(other.body()).contains("App: " + KEY_APP).doesNotContain("console-other-app");
		BrokerClient.Response refused = browser.post("/console/disconnect", Map.of("app", "console-other-app", "type",
				MockIdp.TYPE, "version", "1", "_csrf", WebSession.csrfToken(page)));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(client().get("/connectors/mockidp/connection", ServiceTokens.forApp("console-other-app")).status())
			.isEqualTo(200);
	}

	@Test
	void aWebhookEndpointMarkedFailingIsShownAsFailingWithItsTime() {
		// Written as the delivery worker leaves an endpoint after failing-after failed attempts in a row (the
		// delivery tests drive that through a receiver that is down); the console only shows it.
		Timestamp since = Timestamp.from(Instant.parse("2026-05-04T10:15:30Z"));
		this.jdbc.update("""
				insert into webhook_endpoint (id, app_id, url, event_types, secret, enabled, consecutive_failures,
				                              failing_since, created_at, updated_at)
				values ('ep_console_failing', ?, 'https://hooks.example.com/failing', '*', 'unused', true, 7, ?, ?, ?)
				""", KEY_APP, since, since, since);
		WebSession browser = new WebSession(client());
		String page = signInWithApiKey(browser, TestApiKeys.ADMIN_KEY).body();
		String row = page.replaceAll("(?s).*(<tr><td><code>https://hooks.example.com/failing</code>.*?</tr>).*", "$1");
		assertThat(row).as("the endpoint's row").hasSizeLessThan(1_000);
		assertThat(row).contains("status status-expired").contains(">failing<").contains("2026-05-04 10:15 UTC");
	}

	@Test
	void readOnlyApiKeyMayLookButNotChange() {
		String token = connectMockIdp(KEY_APP);
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithApiKey(browser, TestApiKeys.READ_ONLY_KEY);
		assertThat(page.body()).contains("read-only").doesNotContain("id=\"disconnect-mockidp\"");
		BrokerClient.Response refused = browser.post("/console/disconnect", Map.of("app", KEY_APP, "type",
				MockIdp.TYPE, "version", "1", "_csrf", WebSession.csrfToken(page)));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("Nothing was changed");
		assertThat(client().get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
	}

	@Test
	void unknownApiKeyIsRefused() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithApiKey(browser, "b44k_unknown");
		assertThat(page.body()).contains("That API key is unknown or revoked.");
		assertThat(browser.get("/console").status()).isEqualTo(302);
	}

	@Test
	void connectFromTheConsoleGoesToTheProviderAndComesBackToTheConsole() {
		WebSession browser = new WebSession(client());
		BrokerClient.Response page = signInWithIdentityProvider(browser, "ops@example.com");
		page = browser.get("/console?app=console-connect");
		BrokerClient.Response toProvider = browser.post("/console/connect", Map.of("app", "console-connect", "type",
				MockIdp.TYPE, "config.subdomain", "acme", "_csrf", WebSession.csrfToken(page)));
		assertThat(toProvider.status()).isEqualTo(303);
		assertThat(toProvider.header("Location")).startsWith(MockIdp.server().baseUrl().toString());
		BrokerClient.Response callback = browser.follow(toProvider);
		assertThat(callback.body()).contains("Connected to Mock IdP").contains("Back to the operator console");
		String back = callback.body().replaceAll("(?s).*id=\"return\" class=\"button primary\" href=\"([^\"]+)\".*",
				"$1").replace("&amp;", "&");
		assertThat(back).startsWith(client().baseUrl() + "/console?app=console-connect&status=connected");
		BrokerClient.Response console = browser.get(back);
		assertThat(console.body()).contains("Mock IdP is connected.").contains("data-status=\"active\"");
		assertThat(client().get("/connectors/mockidp", ServiceTokens.forApp("console-connect")).json()
			.get("connectionConfig").get("subdomain").asString()).isEqualTo("acme");
	}

	private BrokerClient.Response signInWithIdentityProvider(WebSession browser, String email) {
		return signInWithIdentityProvider(browser, Map.of("email", email, "email_verified", true));
	}

	private BrokerClient.Response signInWithIdentityProvider(WebSession browser, Map<String, Object> claims) {
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), "operator-" + claims.get("email"),
				"JWT", null, claims, 3600));
		BrokerClient.Response login = browser.follow(browser.get("/console"));
		assertThat(login.body()).contains("id=\"sign-in-oidc\"");
		return browser.follow(browser.get("/console/oauth2/authorization/console"));
	}

	private BrokerClient.Response signInWithApiKey(WebSession browser, String key) {
		BrokerClient.Response login = browser.get("/console/login");
		return browser.follow(browser.post("/console/login/api-key",
				Map.of("api_key", key, "_csrf", WebSession.csrfToken(login))));
	}

	/** Connects the app's mock IdP connector unless an earlier test did. */
	private String connectMockIdp(String appId) {
		String token = ServiceTokens.forApp(appId);
		if (client().get("/connectors/mockidp/connection", token).status() != 200) {
			assertThat(OAuthDance.connect(client(), token, MockIdp.TYPE).status()).isEqualTo(200);
		}
		return token;
	}

	/** Stands in for workspace API keys: one key that may change the app, one that may only read it. */
	@TestConfiguration
	static class TestApiKeys {

		static final String ADMIN_KEY = "b44k_console_admin_key_for_tests";

		static final String READ_ONLY_KEY = "b44k_console_read_key_for_tests";

		@Bean
		ApiKeySignIn testApiKeySignIn() {
			return (key) -> switch (key) {
				case ADMIN_KEY -> Optional.of(ConsoleOperator.ofApp("Admin key", KEY_APP, true));
				case READ_ONLY_KEY -> Optional.of(ConsoleOperator.ofApp("Read-only key", KEY_APP, false));
				default -> Optional.empty();
			};
		}

	}

}
