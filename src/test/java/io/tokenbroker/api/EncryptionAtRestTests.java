package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestKeys;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** What an attacker with a copy of the database finds: ciphertexts, bound to their rows. */
class EncryptionAtRestTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

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

		String dump = dumpAllTables();
		assertThat(dump).contains(app);
		assertThat(dump).doesNotContain(accessToken)
			.doesNotContain(refreshToken)
			.doesNotContain(MockIdp.CLIENT_SECRET)
			.doesNotContain(state);
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
		BrokerClient.Response stolen = client().get("/connectors/mockidp/connection", ServiceTokens.forApp(thief));
		assertThat(stolen.body()).doesNotContain(victimToken);
		assertThat(stolen.status()).isEqualTo(409);
		assertThat(stolen.json().get("code").asString()).isEqualTo("reauthorization_required");
	}

	private String dumpAllTables() {
		StringBuilder dump = new StringBuilder();
		List<String> tables = this.jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = 'public'", String.class);
		for (String table : tables) {
			this.jdbc.queryForList("select * from " + table).forEach((r) -> dump.append(r).append('\n'));
		}
		return dump.toString();
	}

}
