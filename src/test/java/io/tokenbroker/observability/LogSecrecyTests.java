package io.tokenbroker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.LoggingDefaults;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;
import io.tokenbroker.support.TestKeys;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Everything the JVM logs, at DEBUG for every logger, while a broker starts, connects an account through a real OAuth
 * server, serves its token, refreshes it on every read, calls the provider's API through the proxy with it and
 * disconnects it: no access token, refresh token, client secret, authorization code, state or PKCE verifier, nor any
 * 20-character piece of one, may appear.
 */
@ExtendWith(OutputCaptureExtension.class)
// Alone: it reads what the JVM logs, and a broker starting or stopping beside it would set the logging up again.
@Isolated
class LogSecrecyTests {

	/** Long enough that a hit is a leak, short enough to catch a token cut off by a log formatter. */
	private static final int FRAGMENT = 20;

	private static final String BASIC_AUTH_TYPE = "mockidp-basic";

	private static final String CLIENT_ID = "broker-client";

	private static final TokenCipher CIPHER = TokenCipher.fromKeysetJson(TestKeys.KEYSET);

	private final Set<String> secrets = new LinkedHashSet<>();

	@AfterEach
	void restoreLogging() {
		LoggingDefaults.restore();
	}

	@Test
	void fullConnectFetchRefreshAndDisconnectCycleLogsNoSecretAtDebug(CapturedOutput output) {
		this.secrets.add(MockIdp.CLIENT_SECRET);
		this.secrets.add(Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + MockIdp.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
		try (BrokerInstance broker = BrokerInstance.start(TestDatabase.newDatabase("logsecrecy"), debugEverything())) {
			cycle(broker, MockIdp.TYPE);
			cycle(broker, BASIC_AUTH_TYPE);
		}
		String logs = output.getAll();
		assertThat(logs).as("DEBUG output was captured").contains("DEBUG").contains("io.tokenbroker");
		assertThat(leaks(logs)).as("log lines holding a secret").isEmpty();
	}

	private void cycle(BrokerInstance broker, String type) {
		BrokerClient client = broker.client();
		JdbcTemplate jdbc = broker.context().getBean(JdbcTemplate.class);
		String app = "app-log-secrecy-" + type;
		String token = ServiceTokens.forApp(app);

		BrokerClient.Response put = client.put("/connectors/" + type, token, "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		String authorizationUrl = put.json().get("redirectUrl").asString();
		this.secrets.add(OAuthDance.query(authorizationUrl).get("state"));
		this.secrets.add(codeVerifier(jdbc, put.json().get("authorizationId").asString()));

		String callbackUrl = OAuthDance.callbackUrl(client, authorizationUrl);
		this.secrets.add(OAuthDance.query(callbackUrl).get("code"));
		BrokerClient.Response callback = client.getUrl(callbackUrl, "text/html");
		assertThat(callback.body()).contains("Connected to Mock IdP");
		this.secrets.add(storedToken(jdbc, app, "refresh_token"));

		// The stored token is made to look expired before each read: every read refreshes first.
		for (int read = 0; read < 2; read++) {
			expireStoredToken(jdbc, app);
			BrokerClient.Response connection = client.get("/connectors/" + type + "/connection", token);
			assertThat(connection.status()).as(connection.toString()).isEqualTo(200);
			this.secrets.add(connection.json().get("accessToken").asString());
			this.secrets.add(storedToken(jdbc, app, "refresh_token"));
		}
		assertThat(jdbc.queryForObject("select last_refreshed_at is not null from connection where app_id = ?",
				Boolean.class, app)).as("the reads refreshed the token").isTrue();

		// The provider's userinfo endpoint, called with the stored token (refreshed first, like every read here).
		expireStoredToken(jdbc, app);
		BrokerClient.Response proxied = client.post("/connectors/" + type + "/proxy", token,
				"{\"method\":\"GET\",\"path\":\"/userinfo\"}");
		assertThat(proxied.status()).as(proxied.toString()).isEqualTo(200);
		assertThat(proxied.json().get("status").asInt()).as(proxied.toString()).isEqualTo(200);
		this.secrets.add(storedToken(jdbc, app, "access_token"));
		this.secrets.add(storedToken(jdbc, app, "refresh_token"));

		assertThat(client.delete("/connectors/" + type, token).status()).isEqualTo(204);
	}

	private static Map<String, String> debugEverything() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("logging.level.root", "DEBUG");
		properties.put("logging.level.io.tokenbroker", "DEBUG");
		// The OAuth server's own endpoints (userinfo) stand in for the provider's API behind the proxy.
		String api = MockIdp.server().url(MockIdp.issuer()).toString();
		properties.put("broker.providers." + MockIdp.TYPE + ".api-base-url", api);
		// The same server as a provider that takes the client credentials in an HTTP Basic header.
		Map<String, String> mockIdp = MockIdp.providerProperties();
		String from = "broker.providers." + MockIdp.TYPE + ".";
		String to = "broker.providers." + BASIC_AUTH_TYPE + ".";
		for (String field : new String[] { "display-name", "authorization-url", "token-url", "revocation-url", "scopes",
				"client-id", "client-secret" }) {
			properties.put(to + field, mockIdp.get(from + field));
		}
		properties.put(to + "client-auth", "basic");
		properties.put(to + "api-base-url", api);
		// The OAuth server and the HTTP client of this test (playing the browser and the calling service) run in
		// this JVM too. Their logs show what a provider or a caller sees, not what the broker logs; the broker itself
		// does not use the JDK HttpClient (java.net.http).
		properties.put("logging.level.no.nav.security.mock.oauth2", "OFF");
		properties.put("logging.level.okhttp3.mockwebserver", "OFF");
		properties.put("logging.level.jdk.internal.httpclient", "OFF");
		return properties;
	}

	private static String codeVerifier(JdbcTemplate jdbc, String attemptId) {
		String cipher = jdbc.queryForObject("select code_verifier from oauth_state where id = ?", String.class,
				attemptId);
		return CIPHER.decrypt(cipher, "oauth_state|" + attemptId + "|code_verifier");
	}

	/**
	 * Moves the stored token's expiry into the past and gives the broker's row cache a moment to let go of the row (the
	 * change notification is asynchronous), so that the next read refreshes.
	 */
	private static void expireStoredToken(JdbcTemplate jdbc, String app) {
		jdbc.update("update connection set expires_at = current_timestamp - interval '1 minute', version = version + 1"
				+ " where app_id = ?", app);
		try {
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A token column of the app's connection, decrypted as the broker does. */
	private static String storedToken(JdbcTemplate jdbc, String app, String column) {
		Map<String, Object> row = jdbc.queryForMap(
				"select connector_id, app_user_id, " + column + " as token from connection where app_id = ?", app);
		return CIPHER.decrypt((String) row.get("token"), "connection|" + app + "|" + row.get("connector_id") + "|"
				+ row.get("app_user_id") + "|" + column);
	}

	/** Each log line that holds a secret or a {@value #FRAGMENT}-character piece of one. */
	private List<String> leaks(String logs) {
		Set<String> fragments = new HashSet<>();
		for (String secret : this.secrets) {
			assertThat(secret).as("every secret was collected").isNotBlank();
			if (secret.length() <= FRAGMENT) {
				fragments.add(secret);
			}
			for (int i = 0; i + FRAGMENT <= secret.length(); i++) {
				fragments.add(secret.substring(i, i + FRAGMENT));
			}
		}
		List<String> leaks = new ArrayList<>();
		for (String line : logs.split("\\R")) {
			if (holdsAny(line, fragments)) {
				leaks.add(line);
			}
		}
		return leaks;
	}

	private static boolean holdsAny(String line, Set<String> fragments) {
		for (int i = 0; i < line.length(); i++) {
			for (int length : new int[] { FRAGMENT }) {
				if (i + length <= line.length() && fragments.contains(line.substring(i, i + length))) {
					return true;
				}
			}
		}
		return fragments.stream().filter((f) -> f.length() < FRAGMENT).anyMatch(line::contains);
	}

}
