package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Stripe connects with an API key the app supplies (or the operator's default), stored like an access token. */
class StripeApiKeyTests extends ProviderStubTestBase {

	private static final String KEY = "sk_test_51HxAppSuppliedKey0123456789abcdef";

	@Autowired
	private JdbcClient jdbc;

	@Test
	void appSuppliedKeyIsServedByGetConnection() {
		String token = ServiceTokens.forApp("app-stripe-set");
		BrokerClient.Response put = client().put("/connectors/stripe", token, "{\"apiKey\":\"" + KEY + "\"}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		assertThat(put.json().get("status").asString()).isEqualTo("active");
		assertThat(put.json().get("redirectUrl").isNull()).isTrue();
		JsonNode connection = connection("stripe", token);
		assertThat(connection.get("accessToken").asString()).isEqualTo(KEY);
		assertThat(connection.get("expiresAt").isNull()).isTrue();
		assertThat(connection.get("integrationType").asString()).isEqualTo("stripe");
	}

	@Test
	void keyIsStoredEncrypted() {
		String token = ServiceTokens.forApp("app-stripe-encrypted");
		client().put("/connectors/stripe", token, "{\"apiKey\":\"" + KEY + "\"}");
		List<Map<String, Object>> rows = this.jdbc.sql("""
				select c.access_token, c.refresh_token, c.metadata, k.connection_config, k.scopes
				from connection c join connector k on k.id = c.connector_id
				where k.app_id = ? and k.integration_type = 'stripe'
				""").param("app-stripe-encrypted").query().listOfRows();
		assertThat(rows).hasSize(1);
		String stored = (String) rows.get(0).get("access_token");
		assertThat(stored).isNotBlank().doesNotContain(KEY).doesNotContain("AppSuppliedKey");
		assertThat(rows.get(0).toString()).doesNotContain("AppSuppliedKey");
		assertThat(rows.get(0).get("refresh_token")).isNull();
	}

	@Test
	void keyOfTheWrongShapeIsRejectedAndTheStoredKeyStays() {
		String token = ServiceTokens.forApp("app-stripe-bad");
		client().put("/connectors/stripe", token, "{\"apiKey\":\"" + KEY + "\"}");
		BrokerClient.Response bad = client().put("/connectors/stripe", token,
				"{\"apiKey\":\"pk_test_PublishableNotSecret0123\"}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.contentType()).startsWith("application/problem+json");
		assertThat(bad.json().get("code").asString()).isEqualTo("invalid_api_key");
		assertThat(bad.body()).doesNotContain("PublishableNotSecret");
		assertThat(connection("stripe", token).get("accessToken").asString()).isEqualTo(KEY);
	}

	@Test
	void rejectedKeyCreatesNoConnector() {
		String token = ServiceTokens.forApp("app-stripe-bad-new");
		BrokerClient.Response bad = client().put("/connectors/stripe", token, "{\"apiKey\":\"sk_test_ spaces\"}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(client().get("/connectors/stripe", token).status()).isEqualTo(404);
	}

	@Test
	void keyIsNeverListed() {
		String token = ServiceTokens.forApp("app-stripe-listing");
		client().put("/connectors/stripe", token, "{\"apiKey\":\"" + KEY + "\"}");
		for (String path : new String[] { "/connectors", "/connectors/stripe", "/integrations" }) {
			BrokerClient.Response response = client().get(path, token);
			assertThat(response.status()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).doesNotContain(KEY).doesNotContain("AppSuppliedKey");
		}
		assertThat(client().get("/connectors/stripe", token).json().get("status").asString()).isEqualTo("active");
	}

	@Test
	void operatorKeyServesAnAppThatSuppliesNone() {
		String token = ServiceTokens.forApp("app-stripe-operator");
		BrokerClient.Response put = client().put("/connectors/stripe", token, "{}");
		assertThat(put.json().get("status").asString()).isEqualTo("active");
		assertThat(connection("stripe", token).get("accessToken").asString()).isEqualTo(OPERATOR_STRIPE_KEY);

		client().put("/connectors/stripe", token, "{\"apiKey\":\"" + KEY + "\"}");
		assertThat(connection("stripe", token).get("accessToken").asString()).isEqualTo(KEY);
		// A PUT without a key keeps the app's key.
		client().put("/connectors/stripe", token, "{}");
		assertThat(connection("stripe", token).get("accessToken").asString()).isEqualTo(KEY);
	}

	@Test
	void apiKeyForAnOAuthTypeIsRejected() {
		String token = ServiceTokens.forApp("app-stripe-oauth-type");
		BrokerClient.Response put = client().put("/connectors/github", token, "{\"apiKey\":\"" + KEY + "\"}");
		assertThat(put.status()).isEqualTo(400);
		assertThat(put.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(put.body()).doesNotContain(KEY);
		assertThat(client().get("/connectors/github", token).status()).isEqualTo(404);
	}

	@Test
	void readOnlyCallerCannotSetAKey() {
		String token = ServiceTokens.forApp("app-stripe-read-only", ServiceTokens.READ);
		assertThat(client().put("/connectors/stripe", token, "{\"apiKey\":\"" + KEY + "\"}").status()).isEqualTo(403);
	}

}
