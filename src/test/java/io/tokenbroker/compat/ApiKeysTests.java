package io.tokenbroker.compat;

import static io.tokenbroker.compat.CompatFixtures.assertBase44Problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Workspace API keys: native admin API, and the CLI's {@code api_key} header on the Base44 routes. */
class ApiKeysTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcClient jdbc;

	private CompatFixtures fixtures() {
		return new CompatFixtures(client());
	}

	@Test
	void aKeyIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
		String app = "keys-once";
		BrokerClient.Response created = client().post("/api-keys", ServiceTokens.forApp(app),
				"{\"name\":\"ci\",\"scopes\":[\"connectors:read\"]}");
		assertThat(created.status()).isEqualTo(201);
		String key = created.json().get("key").asString();
		assertThat(key).startsWith("b44k_").hasSizeGreaterThan(40);
		assertThat(created.json().get("scopes").get(0).asString()).isEqualTo("connectors:read");

		BrokerClient.Response list = client().get("/api-keys", ServiceTokens.forApp(app));
		assertThat(list.body()).doesNotContain(key).doesNotContain(key.substring(12));
		assertThat(list.json().get("apiKeys").get(0).get("keyPrefix").asString()).isEqualTo(key.substring(0, 12));

		List<String> stored = this.jdbc.sql("select key_hash from api_key where app_id = ?").param(app)
			.query(String.class)
			.list();
		String hash = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		assertThat(stored).containsExactly(hash);
		Integer plaintextRows = this.jdbc.sql("select count(*) from api_key where key_hash = ? or key_prefix = ? or name = ?")
			.params(key, key, key)
			.query(Integer.class)
			.single();
		assertThat(plaintextRows).isZero();
	}

	@Test
	void aKeyAuthenticatesTheCliAndRecordsItsLastUse() {
		String app = "keys-use";
		String key = fixtures().apiKey(app, null);
		assertThat(client().get("/api-keys", ServiceTokens.forApp(app)).json().get("apiKeys").get(0).get("lastUsedAt")
			.isNull()).isTrue();
		BrokerClient.Response list = fixtures().cli("GET", "/api/apps/" + app + "/external-auth/list", key, null);
		assertThat(list.status()).as(list.toString()).isEqualTo(200);
		assertThat(client().get("/api-keys", ServiceTokens.forApp(app)).json().get("apiKeys").get(0).get("lastUsedAt")
			.isNull()).isFalse();
	}

	@Test
	void aRevokedKeyIsRejected() {
		String app = "keys-revoke";
		String key = fixtures().apiKey(app, null);
		String id = client().get("/api-keys", ServiceTokens.forApp(app)).json().get("apiKeys").get(0).get("id")
			.asString();
		assertThat(client().delete("/api-keys/" + id, ServiceTokens.forApp(app)).status()).isEqualTo(204);
		assertBase44Problem(fixtures().cli("GET", "/api/apps/" + app + "/external-auth/list", key, null), 401,
				"unauthorized");
		assertThat(client().get("/api-keys", ServiceTokens.forApp(app)).json().get("apiKeys").get(0).get("revokedAt")
			.isNull()).isFalse();
	}

	@Test
	void anUnknownKeyIsRejected() {
		assertBase44Problem(fixtures().cli("GET", "/api/apps/keys-unknown/external-auth/list", "b44k_not-a-real-key", null),
				401, "unauthorized");
	}

	@Test
	void aKeyOnlyReachesItsOwnApp() {
		String key = fixtures().apiKey("keys-own", null);
		assertBase44Problem(fixtures().cli("GET", "/api/apps/keys-foreign/external-auth/list", key, null), 404,
				"not_found");
	}

	@Test
	void aReadOnlyKeyCannotChangeConnectors() {
		String app = "keys-read-only";
		String key = fixtures().apiKey(app, "\"connectors:read\"");
		assertThat(fixtures().cli("GET", "/api/apps/" + app + "/external-auth/list", key, null).status()).isEqualTo(200);
		assertBase44Problem(fixtures().cli("PUT", "/api/apps/" + app + "/external-auth/integrations/mockidp", key,
				"{\"scopes\":[]}"), 403, "forbidden");
	}

	@Test
	void aKeyCannotHaveMoreScopesThanItsCreator() {
		BrokerClient.Response response = client().post("/api-keys",
				ServiceTokens.forApp("keys-escalate", "connectors:admin"), "{\"scopes\":[\"connectors:read\"]}");
		assertThat(response.status()).isEqualTo(403);
	}

	@Test
	void aNullScopeIsRefusedAsAProblemAndCreatesNoKey() {
		String app = "keys-null-scope";
		BrokerClient.Response response = client().post("/api-keys", ServiceTokens.forApp(app),
				"{\"scopes\":[\"connectors:read\",null]}");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(client().get("/api-keys", ServiceTokens.forApp(app)).json().get("apiKeys").size()).isZero();
	}

	@Test
	void aNameWithHalfASurrogatePairIsRefusedAndCreatesNoKey() {
		String app = "keys-surrogate-name";
		BrokerClient.Response response = client().post("/api-keys", ServiceTokens.forApp(app),
				"{\"name\":\"ci \\ud800\"}");
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(client().get("/api-keys", ServiceTokens.forApp(app)).json().get("apiKeys").size()).isZero();
	}

	@Test
	void aKeyIsNotAcceptedOnNativeRoutes() {
		String app = "keys-native";
		String key = fixtures().apiKey(app, null);
		BrokerClient.Response response = fixtures().send("GET", "/connectors", null, Map.of("api_key", key), null);
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void keysOfAnotherAppAreNeitherListedNorRevocable() {
		fixtures().apiKey("keys-a", null);
		String id = client().get("/api-keys", ServiceTokens.forApp("keys-a")).json().get("apiKeys").get(0).get("id")
			.asString();
		JsonNode others = client().get("/api-keys", ServiceTokens.forApp("keys-b")).json().get("apiKeys");
		assertThat(others.size()).isZero();
		assertThat(client().delete("/api-keys/" + id, ServiceTokens.forApp("keys-b")).status()).isEqualTo(404);
	}

}
