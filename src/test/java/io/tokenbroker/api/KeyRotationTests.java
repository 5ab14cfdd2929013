package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;

import io.tokenbroker.crypto.Keysets;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestKeys;

import org.springframework.beans.factory.annotation.Value;

/**
 * Rotation as an operator runs it: deploy the keyset with a new primary key, re-encrypt every row, then drop the old
 * key. Tokens stay readable throughout.
 */
class KeyRotationTests extends PostgresBrokerTestBase {

	@Value("${spring.datasource.url}")
	String databaseUrl;

	@Test
	void reencryptedRowsDecryptWithOnlyTheNewKey() throws Exception {
		String app = "app-rotation-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		String accessToken = client().get("/connectors/mockidp/connection", token).json().get("accessToken").asString();

		String rotated = Keysets.rotateJson(TestKeys.KEYSET);
		try (BrokerInstance withBothKeys = BrokerInstance.start(this.databaseUrl, Map.of("broker.crypto.keyset", rotated))) {
			assertThat(withBothKeys.client().get("/connectors/mockidp/connection", token).json().get("accessToken")
				.asString()).isEqualTo(accessToken);
			String operator = ServiceTokens.sign(ServiceTokens.SECRET, Map.of("scope", "broker:operator"),
					Duration.ofMinutes(5));
			BrokerClient.Response report = withBothKeys.client().post("/admin/re-encrypt", operator, null);
			assertThat(report.status()).as(report.toString()).isEqualTo(200);
			assertThat(report.json().get("reencrypted").asLong()).isGreaterThanOrEqualTo(1);
		}
		try (BrokerInstance newKeyOnly = BrokerInstance.start(this.databaseUrl,
				Map.of("broker.crypto.keyset", withoutFirstKey(rotated)))) {
			assertThat(newKeyOnly.client().get("/connectors/mockidp/connection", token).json().get("accessToken")
				.asString()).isEqualTo(accessToken);
		}
	}

	private static String withoutFirstKey(String keysetJson) throws Exception {
		KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(keysetJson, InsecureSecretKeyAccess.get());
		return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.newBuilder(handle).deleteAt(0).build(),
				InsecureSecretKeyAccess.get());
	}

}
