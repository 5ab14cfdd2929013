package io.tokenbroker.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;

/** Steps of the authorization flow that attack tests take apart. */
final class Flows {

	private Flows() {
	}

	/** A started authorization: where the browser goes, and what that URL carries. */
	record Started(String authorizationId, String authorizationUrl, Map<String, String> query) {

		String state() {
			return this.query.get("state");
		}

	}

	/** Creates the connector if needed and starts an authorization for it. */
	static Started start(BrokerClient client, String token, String type) {
		BrokerClient.Response put = client.put("/connectors/" + type, token, "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		BrokerClient.Response start = client.post("/connectors/" + type + "/authorize", token, null);
		assertThat(start.status()).as(start.toString()).isEqualTo(200);
		String url = start.json().get("redirectUrl").asString();
		return new Started(start.json().get("authorizationId").asString(), url, OAuthDance.query(url));
	}

	/** The provider's redirect back to the broker, with a fresh code; not yet delivered. */
	static String callbackUrl(BrokerClient client, Started started) {
		return OAuthDance.callbackUrl(client, started.authorizationUrl());
	}

	static String code(String callbackUrl) {
		return OAuthDance.query(callbackUrl).get("code");
	}

	/** The callback URL with its {@code state} replaced (the code stays). */
	static String withState(BrokerClient client, String callbackUrl, String state) {
		return client.baseUrl() + "/oauth/callback?state=" + state + "&code=" + code(callbackUrl);
	}

	static String outcome(BrokerClient client, String token, Started started) {
		return client.get("/authorizations/" + started.authorizationId(), token).json().get("outcome").asString();
	}

	/** The app's connection of {@code type} serves no token. */
	static void assertNothingStored(BrokerClient client, String token, String type) {
		BrokerClient.Response read = client.get("/connectors/" + type + "/connection", token);
		assertThat(read.status()).as(read.toString()).isIn(404, 409);
		assertThat(read.body()).doesNotContain("accessToken");
	}

}
