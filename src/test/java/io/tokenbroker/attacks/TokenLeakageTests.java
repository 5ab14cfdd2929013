package io.tokenbroker.attacks;

import static io.tokenbroker.attacks.Flows.callbackUrl;
import static io.tokenbroker.attacks.Flows.code;
import static io.tokenbroker.attacks.Flows.start;
import static io.tokenbroker.attacks.Flows.withState;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;

import io.tokenbroker.support.AuditEventsProbe;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tokens, codes, states, PKCE verifiers and client secrets never reach a log line, an error, the audit trail or a URL
 * the broker builds for a browser. Logs are captured with an appender while a whole life cycle runs (connect, failed
 * and replayed callbacks, reads, a refresh, delete with revocation), with the broker's own loggers at DEBUG.
 */
// Alone: it reads what the JVM logs, and a broker starting or stopping beside it would set the logging up again.
@Isolated
class TokenLeakageTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private Level brokerLevel;

	@BeforeEach
	void captureLogs() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.logs.setContext(context);
		this.logs.start();
		context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this.logs);
		Logger broker = context.getLogger("io.tokenbroker");
		this.brokerLevel = broker.getLevel();
		broker.setLevel(Level.DEBUG);
	}

	@AfterEach
	void stopCapturing() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this.logs);
		context.getLogger("io.tokenbroker").setLevel(this.brokerLevel);
	}

	@Test
	void noSecretReachesLogsErrorsTheAuditTrailOrBrowserUrls() throws InterruptedException {
		String app = "app-leak-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		Map<String, String> secrets = new LinkedHashMap<>();
		List<String> visible = new ArrayList<>();

		// A code injected under another attempt's state fails (and logs the provider's refusal).
		Flows.Started injected = start(client(), token, MockIdp.TYPE);
		String injectedCallback = callbackUrl(client(), injected);
		Flows.Started other = start(client(), token, MockIdp.TYPE);
		visible.add(client().getUrl(withState(client(), injectedCallback, other.state()), "text/html").body());
		secrets.put("injected code", code(injectedCallback));

		Flows.Started started = start(client(), token, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		secrets.put("state", started.state());
		secrets.put("code", code(callback));
		BrokerClient.Response page = client().getUrl(callback, "text/html");
		assertThat(page.status()).isEqualTo(200);
		visible.add(page.body());
		visible.add(client().getUrl(callback, "application/json").body());
		visible.add(client().getUrl(callback, "text/html").body());
		String tokenRequest = MockIdp.takeTokenRequest((b) -> b.contains("code=" + code(callback)));
		secrets.put("verifier", formValue(tokenRequest, "code_verifier"));

		secrets.put("access token", client().get("/connectors/mockidp/connection", token).json().get("accessToken")
			.asString());
		this.jdbc.update("update connection set expires_at = ? where app_id = ?",
				OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), app);
		BrokerClient.Response refreshed = readUntilRefreshed(token, secrets.get("access token"));
		secrets.put("refreshed access token", refreshed.json().get("accessToken").asString());
		String refreshRequest = MockIdp.takeTokenRequest((b) -> b.contains("grant_type=refresh_token"));
		secrets.put("refresh token", formValue(refreshRequest, "refresh_token"));
		secrets.put("client secret", MockIdp.CLIENT_SECRET);

		visible.add(client().get("/connectors/mockidp", token).body());
		visible.add(client().get("/connectors", token).body());
		visible.add(client().get("/authorizations/" + started.authorizationId(), token).body());
		assertThat(client().delete("/connectors/mockidp?purge=true", token).status()).isEqualTo(204);
		visible.add(client().get("/connectors/mockidp/connection", token).body());
		AuditEventsProbe.await(client(), token, null, AuditEventsProbe.action("connector.deleted"));
		visible.add(client().get("/audit-events?limit=500", token).body());
		visible.add(String.join("\n", this.jdbc.queryForList(
				"select coalesce(actor,'') || reason || request_id from audit_event where app_id = ?", String.class, app)));

		String logText = brokerLogText();
		assertThat(logText).as("the capture works").contains("Code exchange for mockidp failed");
		secrets.forEach((name, secret) -> {
			assertThat(secret).as(name).isNotBlank();
			assertThat(logText).as(name + " in the logs").doesNotContain(secret);
			visible.forEach((body) -> assertThat(body).as(name + " in a response").doesNotContain(secret));
		});
	}

	@Test
	void theCompletionPageLoadsNothingAndLeaksNoReferrer() {
		String token = ServiceTokens.forApp("app-hygiene-" + System.nanoTime());
		BrokerClient.Response page = OAuthDance.connect(client(), token, MockIdp.TYPE);
		assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
		assertThat(page.header("Cache-Control")).contains("no-store");
		// Nothing but the broker's own stylesheet, same origin.
		assertThat(page.body()).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=\"http")
			.doesNotContain("href=\"//");
		assertThat(page.header("Content-Security-Policy")).doesNotContain("unsafe-inline");
	}

	@Test
	void responsesCarryingTokensAreNotCached() {
		String token = ServiceTokens.forApp("app-nostore-" + System.nanoTime());
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		BrokerClient.Response read = client().get("/connectors/mockidp/connection", token);
		assertThat(read.header("Cache-Control")).contains("no-store");
	}

	/**
	 * Reads the app's connection until a read refreshes its expired token, which the first read after the expiry was
	 * moved into the past may not do: the broker's row cache lets go of the row when PostgreSQL's change notification
	 * arrives, asynchronously.
	 */
	private BrokerClient.Response readUntilRefreshed(String token, String accessToken) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(10);
		while (true) {
			BrokerClient.Response read = client().get("/connectors/mockidp/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			if (!read.json().get("accessToken").asString().equals(accessToken)) {
				return read;
			}
			assertThat(Instant.now()).as("a read refreshed the expired token within 10 s").isBefore(deadline);
			Thread.sleep(50);
		}
	}

	/** Every line the broker's process logged, except the in-process mock authorization server's own. */
	private String brokerLogText() {
		StringBuilder text = new StringBuilder();
		for (ILoggingEvent event : List.copyOf(this.logs.list)) {
			if (event.getLoggerName().startsWith("no.nav") || event.getLoggerName().startsWith("okhttp3")
					|| event.getLoggerName().startsWith("mockwebserver")) {
				continue;
			}
			text.append(event.getFormattedMessage()).append('\n');
			for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
				text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
			}
		}
		return text.toString();
	}

	private static String formValue(String form, String name) {
		assertThat(form).as("token request").isNotNull();
		String raw = OAuthDance.query("http://x/?" + form).get(name);
		return URLDecoder.decode(raw, StandardCharsets.UTF_8);
	}

}
