package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;
import io.tokenbroker.support.TestKeys;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/** What an attacker with a copy of the database finds: ciphertexts, bound to their rows. */
class EncryptionAtRestTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	@Value("${spring.datasource.url}")
	String datasourceUrl;

	@Test
	void rawDatabaseHoldsNoPlaintextTokenOrSecret() {
		String app = "app-at-rest-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		BrokerClient.Response put = client().put("/connectors/mockidp", token, "{}");
		String state = OAuthDance.query(put.json().get("redirectUrl").asString()).get("state");
		OAuthDance.followAuthorization(client(), put.json().get("redirectUrl").asString());
		String accessToken = client().get("/connectors/mockidp/connection", token).json().get("accessToken").asString();
		Map<String, Object> row = this.jdbc.queryForMap(
				"select id, connector_id, app_user_id, refresh_token from connection where app_id = ?", app);
		String refreshToken = TokenCipher.fromKeysetJson(TestKeys.KEYSET)
			.decrypt((String) row.get("refresh_token"), "connection|" + app + "|" + row.get("connector_id") + "|"
					+ row.get("app_user_id") + "|refresh_token");
		assertThat(refreshToken).isNotBlank();
		BrokerClient.Response key = client().post("/api-keys", token, "{\"name\":\"canary\"}");
		assertThat(key.status()).as(key.toString()).isEqualTo(201);
		String apiKey = key.json().get("key").asString();

		String dump = pgDump();
		assertThat(dump).contains(app);
		assertThat(dump).doesNotContain(accessToken)
			.doesNotContain(refreshToken)
			.doesNotContain(MockIdp.CLIENT_SECRET)
			.doesNotContain(state)
			.doesNotContain(apiKey)
			.doesNotContain(apiKey.substring(apiKey.length() - 16));
	}

	@Test
	void ciphertextCopiedToAnotherAppsRowDoesNotDecrypt() {
		String victim = "app-victim-" + System.nanoTime();
		String thief = "app-thief-" + System.nanoTime();
		OAuthDance.connect(client(), ServiceTokens.forApp(victim), MockIdp.TYPE);
		OAuthDance.connect(client(), ServiceTokens.forApp(thief), MockIdp.TYPE);
		String victimToken = client().get("/connectors/mockidp/connection", ServiceTokens.forApp(victim))
			.json().get("accessToken").asString();
		this.jdbc.update("update connection set access_token = (select access_token from connection where app_id = ?) "
				+ "where app_id = ?", victim, thief);
		try {
			BrokerClient.Response stolen = client().get("/connectors/mockidp/connection", ServiceTokens.forApp(thief));
			assertThat(stolen.body()).doesNotContain(victimToken);
			assertThat(stolen.status()).isEqualTo(409);
			assertThat(stolen.json().get("code").asString()).isEqualTo("reauthorization_required");
		}
		finally {
			// The database is shared with other tests: key rotation there expects every row to decrypt.
			this.jdbc.update("delete from connection where app_id = ?", thief);
		}
	}

	/** The whole database as {@code pg_dump} writes it: what a stolen backup holds. */
	private String pgDump() {
		URI url = URI.create(this.datasourceUrl.substring("jdbc:".length()));
		ProcessBuilder pgDump = new ProcessBuilder("pg_dump", "--no-owner", "--host", url.getHost(), "--port",
				Integer.toString((url.getPort() > 0) ? url.getPort() : 5432), "--username", TestDatabase.username(),
				url.getPath().substring(1)).redirectErrorStream(true);
		if (TestDatabase.password() != null) {
			pgDump.environment().put("PGPASSWORD", TestDatabase.password());
		}
		try {
			Process process = pgDump.start();
			String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor()).as(dump).isZero();
			assertThat(dump).contains("CREATE TABLE public.connection");
			return dump;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
