package io.tokenbroker.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.compat.Base44Clients;
import io.tokenbroker.support.AppPageServer;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerTestBase;
import io.tokenbroker.support.Browser;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.UserTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole end-user journey in Chromium: an app's page on its own origin uses the published {@code @base44/sdk}
 * (bundled for the browser with esbuild) to connect the user's account at a real authorization server that rotates
 * refresh tokens, through the broker's confirmation page and back to the app's page; the app's backend then reads the
 * user's token with the SDK under Node. The broker is at {@code http://127.0.0.1:<port>}, the app at
 * {@code http://localhost:<other port>}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "broker.refresh.scheduler-enabled=false", "broker.dev.data-dir=target/test-dev-data" })
@ActiveProfiles("dev")
class AppPageInBrowserTests extends BrokerTestBase {

	private static final String TYPE = "strictidp";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static StrictAuthorizationServer provider;

	private static AppPageServer appPage;

	private static AppPageServer strangerPage;

	@RegisterExtension
	final Browser browser = Browser.withJavaScript();

	@Value("${server.port}")
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void broker(DynamicPropertyRegistry registry) {
		registerCommon(registry);
		String url = "jdbc:h2:mem:browser" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
		registry.add("spring.datasource.url", () -> url);
		// The authorization server accepts loopback redirect URIs by IP only (RFC 8252 §8.3).
		registry.add("broker.public-url", () -> "http://127.0.0.1:${server.port}");
		provider = StrictAuthorizationServer.start();
		provider.providerProperties(TYPE, StrictAuthorizationServer.CLIENT_ID)
			.forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeAll
	static void pages() {
		Path bundle = Base44Clients.browserBundle("app-page", resource("/base44/app-page.mjs"));
		appPage = new AppPageServer(bundle);
		strangerPage = new AppPageServer(bundle);
	}

	@AfterAll
	static void stop() {
		appPage.close();
		strangerPage.close();
		provider.close();
	}

	@Test
	void anEndUserConnectsFromTheAppsPageThenTheBackendReadsTheTokenAndThePageDisconnects() {
		String app = "page-journey";
		String connectorId = setUp(app, TYPE, appPage);
		this.browser.open(appPage.origin() + "/settings?tab=connections");
		assertThat(this.browser.text(By.id("status"))).isEqualTo("none");

		this.browser.click(By.id("connect"));
		assertThat(this.browser.url()).startsWith(broker() + "/connect/");
		assertThat(this.browser.text(By.id("heading"))).isEqualTo("Connect your Strict IdP (strictidp) account");
		assertThat(this.browser.text(By.id("lead")))
			.isEqualTo("page-journey will use your Strict IdP (strictidp) account for Alice Example.");
		this.browser.click(By.id("continue"));

		waitForAppPage("connected");
		assertThat(this.browser.url()).startsWith(appPage.origin() + "/settings?tab=connections&");
		assertThat(OAuthDance.query(this.browser.url())).containsEntry("connector_id", connectorId)
			.doesNotContainKeys("code", "state", "error");
		JsonNode read = backend(app, "getCurrentAppUserConnection", connectorId);
		assertThat(read.get("ok").asBoolean()).as(read.toString()).isTrue();
		assertThat(provider.accepts(read.get("result").get("accessToken").asString(), Instant.now())).isTrue();

		this.browser.find(By.id("disconnect")).click();
		new WebDriverWait(this.browser.driver(), Duration.ofSeconds(30))
			.until((driver) -> "disconnected".equals(this.browser.text(By.id("disconnected"))));
		assertThat(backend(app, "getCurrentAppUserConnection", connectorId).get("code").asString())
			.isEqualTo("not_connected");
		assertThat(this.browser.consoleMessages()).noneMatch((m) -> m.contains("Content Security Policy"));
	}

	@Test
	void aPageOfAnOriginNotOnTheListIsBlockedByTheBrowserAndNothingIsStored() {
		String app = "page-stranger";
		setUp(app, TYPE, appPage);
		strangerPage.configure(appPage.configuration());
		this.browser.open(strangerPage.origin() + "/");

		this.browser.find(By.id("connect")).click();

		new WebDriverWait(this.browser.driver(), Duration.ofSeconds(30))
			.until((driver) -> !this.browser.text(By.id("error")).isEmpty());
		assertThat(this.browser.text(By.id("error"))).contains("Network Error");
		assertThat(this.browser.url()).startsWith(strangerPage.origin());
		assertThat(endUserAttempts(app)).isZero();
	}

	@Test
	void theLinkOpenedInASecondBrowserProfileIsRefusedAndConnectsNothing() throws Exception {
		String app = "page-second-profile";
		String connectorId = setUp(app, TYPE, appPage);
		this.browser.open(appPage.origin() + "/");
		this.browser.click(By.id("connect"));
		String link = this.browser.url();
		assertThat(link).startsWith(broker() + "/connect/");

		Browser other = Browser.withJavaScript();
		other.beforeEach(null);
		try {
			other.open(link);
			assertThat(other.text(By.id("heading"))).isEqualTo("This link was already opened");
			assertThat(other.driver().findElements(By.id("continue"))).isEmpty();
		}
		finally {
			other.afterEach(null);
		}
		assertThat(backend(app, "getCurrentAppUserConnection", connectorId).get("code").asString())
			.isEqualTo("not_connected");
	}

	@Test
	void aDeniedConsentGoesBackToTheAppWithDeniedAndStoresNothing() {
		String app = "page-denied";
		String connectorId = setUp(app, "sandbox", appPage);
		this.browser.open(appPage.origin() + "/");
		this.browser.click(By.id("connect"));
		this.browser.click(By.id("continue"));
		assertThat(this.browser.driver().getTitle()).isEqualTo("Sign in with Sandbox");

		this.browser.click(By.id("deny"));

		waitForAppPage("denied");
		assertThat(OAuthDance.query(this.browser.url())).containsEntry("connector_id", connectorId);
		assertThat(backend(app, "getCurrentAppUserConnection", connectorId).get("ok").asBoolean()).isFalse();
	}

	/** The app's connector of {@code type}, its page's origin allowed, and the page set up for one end user. */
	private String setUp(String app, String type, AppPageServer page) {
		String admin = ServiceTokens.forApp(app);
		BrokerClient.Response put = client().put("/connectors/" + type, admin, "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		String connectorId = put.json().get("connectorId").asString();
		BrokerClient.Response origins = client().put("/allowed-origins", admin,
				"{\"origins\":[\"" + page.origin() + "\"]}");
		assertThat(origins.status()).as(origins.toString()).isEqualTo(200);
		Map<String, String> config = new HashMap<>();
		config.put("serverUrl", broker());
		config.put("appId", app);
		config.put("connectorId", connectorId);
		config.put("userToken", userToken(app));
		page.configure(JSON.writeValueAsString(config));
		return connectorId;
	}

	/** The end user's token, as the app's own sign-in mints it: with a name the broker's page shows. */
	private static String userToken(String app) {
		return ServiceTokens.signExactly(UserTokens.SECRET, Map.of("app_id", app, "sub", "user-7", "name", "Alice Example"),
				Duration.ofMinutes(10));
	}

	/** The app's backend: one connectors call of the SDK under Node, service role acting for the end user. */
	private JsonNode backend(String app, String method, String argument) {
		Map<String, String> env = new HashMap<>();
		env.put("BASE44_SDK_ENTRY", Base44Clients.sdkEntry().toString());
		env.put("SERVER_URL", broker());
		env.put("APP_ID", app);
		env.put("SERVICE_TOKEN", ServiceTokens.forApp(app));
		env.put("USER_TOKEN", userToken(app));
		env.put("NODE_ENV", "production");
		Base44Clients.Result result = Base44Clients.node(Base44Clients.ROOT, env, script(), method, argument);
		assertThat(result.exitCode()).as(result.toString()).isZero();
		return JSON.readTree(result.stdout());
	}

	private void waitForAppPage(String status) {
		new WebDriverWait(this.browser.driver(), Duration.ofSeconds(60))
			.until((driver) -> driver.getCurrentUrl().startsWith(appPage.origin())
					&& status.equals(this.browser.text(By.id("status"))));
	}

	private int endUserAttempts(String app) {
		// End users' attempts only: saving the connector started the app-wide one.
		return this.jdbc.queryForObject("select count(*) from oauth_state where app_id = ? and app_user_id <> ''",
				Integer.class, app);
	}

	private BrokerClient client() {
		return client(this.port);
	}

	private String broker() {
		return "http://127.0.0.1:" + this.port;
	}

	private static String script() {
		try {
			return Path.of(AppPageInBrowserTests.class.getResource("/base44/sdk-call.mjs").toURI()).toString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String resource(String name) {
		try (InputStream in = AppPageInBrowserTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
