package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;

import io.tokenbroker.crypto.Keysets;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestKeys;
import io.tokenbroker.support.WebhookReceiver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rotation as an operator runs it: deploy the keyset with a new primary key, re-encrypt every row, then drop the old
 * key. Tokens stay readable throughout, and webhook endpoints' signing secrets still sign.
 */
class KeyRotationTests extends PostgresBrokerTestBase {

	@Value("${spring.datasource.url}")
	String databaseUrl;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void reencryptedRowsDecryptWithOnlyTheNewKey() throws Exception {
		String app = "app-rotation-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		String accessToken = client().get("/connectors/mockidp/connection", token).json().get("accessToken").asString();

		String current = "whsec_" + Base64.getEncoder().encodeToString("current-signing-secret-of-32-byte".getBytes());
		String previous = "whsec_" + Base64.getEncoder().encodeToString("previous-signing-secret-32-bytes".getBytes());
		String endpoint = webhookEndpointUnderTheFirstKey(app, current, previous);

		String rotated = Keysets.rotateJson(TestKeys.KEYSET);
		try (BrokerInstance withBothKeys = BrokerInstance.start(this.databaseUrl, Map.of("broker.crypto.keyset", rotated))) {
			assertThat(withBothKeys.client().get("/connectors/mockidp/connection", token).json().get("accessToken")
				.asString()).isEqualTo(accessToken);
			String operator = ServiceTokens.sign(ServiceTokens.SECRET, Map.of("scope", "broker:operator"),
					Duration.ofMinutes(5));
			BrokerClient.Response report = withBothKeys.client().post("/admin/re-encrypt", operator, null);
			assertThat(report.status()).as(report.toString()).isEqualTo(200);
			assertThat(report.json().get("reencrypted").asLong()).isGreaterThanOrEqualTo(2);
			assertThat(report.json().get("unreadable").asLong()).isZero();
		}
		try (WebhookReceiver receiver = WebhookReceiver.start();
				BrokerInstance newKeyOnly = BrokerInstance.start(this.databaseUrl,
						Map.of("broker.crypto.keyset", withoutFirstKey(rotated),
								"broker.webhooks.allowed-private-hosts", "127.0.0.1"))) {
			assertThat(newKeyOnly.client().get("/connectors/mockidp/connection", token).json().get("accessToken")
				.asString()).isEqualTo(accessToken);
			this.jdbc.update("update webhook_endpoint set url = ? where id = ?", receiver.url("rotation"), endpoint);
			BrokerClient.Response test = newKeyOnly.client().post("/webhooks/endpoints/" + endpoint + "/test", token,
					null);
			assertThat(test.status()).as(test.toString()).isEqualTo(202);
			WebhookReceiver.Received delivered = receiver.await("rotation", (r) -> true, Duration.ofSeconds(30));
			assertThat(delivered.signature().split(" ")).hasSize(2);
			assertThat(delivered.verifies(current)).isTrue();
			assertThat(delivered.verifies(previous)).isTrue();
		}
	}

	/**
	 * An endpoint whose secrets (the current one, and the previous one within its overlap) are encrypted under the
	 * keyset before the rotation, as the broker writes them. Written directly: this broker's address rules refuse the
	 * receiver's loopback URL, which the later broker allows.
	 */
	private String webhookEndpointUnderTheFirstKey(String app, String current, String previous) {
		String id = "ep_rotation" + System.nanoTime();
		TokenCipher cipher = TokenCipher.fromKeysetJson(TestKeys.KEYSET);
		String binding = "webhook_endpoint|" + app + "|" + id + "|";
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update("""
				insert into webhook_endpoint (id, app_id, url, event_types, secret, previous_secret,
				                              previous_secret_until, enabled, consecutive_failures, created_at, updated_at)
				values (?, ?, 'https://hooks.example.com/broker', '*', ?, ?, ?, true, 0, ?, ?)
				""", id, app, cipher.encrypt(current, binding + "secret"),
				cipher.encrypt(previous, binding + "previous_secret"),
				Timestamp.from(Instant.now().plus(Duration.ofHours(1))), now, now);
		return id;
	}

	private static String withoutFirstKey(String keysetJson) throws Exception {
		KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(keysetJson, InsecureSecretKeyAccess.get());
		return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.newBuilder(handle).deleteAt(0).build(),
				InsecureSecretKeyAccess.get());
	}

}
