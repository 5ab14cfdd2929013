package io.tokenbroker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/** Requests as the Base44 clients send them, and the native setup they need. */
final class CompatFixtures {

	private final BrokerClient client;

	CompatFixtures(BrokerClient client) {
		this.client = client;
	}

	/** A request with extra headers and an optional service-role bearer. */
	BrokerClient.Response send(String method, String path, String bearer, Map<String, String> headers,
			String json) {
		HttpRequest.Builder builder = this.client.request(path, bearer);
		headers.forEach(builder::header);
		HttpRequest.BodyPublisher body = (json != null) ? HttpRequest.BodyPublishers.ofString(json)
				: HttpRequest.BodyPublishers.noBody();
		if (json != null) {
			builder.header("Content-Type", "application/json");
		}
		return this.client.send(builder.method(method, body).build());
	}

	/** As the CLI does with a workspace API key. */
	BrokerClient.Response cli(String method, String path, String apiKey, String json) {
		return send(method, path, null, Map.of("api_key", apiKey, "User-Agent", "Base44 CLI", "X-Request-ID",
				java.util.UUID.randomUUID().toString()), json);
	}

	/** As the SDK's service-role client does (with a user token, it also sends on-behalf-of). */
	BrokerClient.Response sdk(String method, String path, String app, String userToken) {
		Map<String, String> headers = new java.util.HashMap<>(Map.of("X-App-Id", app, "Accept", "application/json"));
		if (userToken != null) {
			headers.put("on-behalf-of", "Bearer " + userToken);
		}
		return send(method, path, ServiceTokens.forApp(app), headers, null);
	}

	/** As the SDK's user client does: the end user's token as bearer, an empty JSON POST. */
	BrokerClient.Response sdkUser(String method, String path, String app, String userId) {
		HttpRequest.Builder builder = this.client.request(path, UserTokens.forUser(app, userId))
			.header("X-App-Id", app)
			.header("Content-Type", "application/json");
		return this.client.send(builder.method(method, HttpRequest.BodyPublishers.noBody()).build());
	}

	String apiKey(String app, String scopes) {
		String body = (scopes != null) ? "{\"name\":\"ci\",\"scopes\":[" + scopes + "]}" : "{\"name\":\"ci\"}";
		BrokerClient.Response created = this.client.post("/api-keys", ServiceTokens.forApp(app), body);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("key").asString();
	}

	/** Creates the app's mockidp connector and completes its OAuth flow natively; returns the connector id. */
	String connectApp(String app, String type) {
		BrokerClient.Response callback = OAuthDance.connect(this.client, ServiceTokens.forApp(app), type);
		assertThat(callback.body()).contains("Connected");
		return this.client.get("/connectors/" + type, ServiceTokens.forApp(app)).json().get("connectorId").asString();
	}

	static void assertBase44Problem(BrokerClient.Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		JsonNode body = response.json();
		assertThat(body.get("message").isString()).as(response.toString()).isTrue();
		assertThat(body.get("detail").isString()).isTrue();
		assertThat(body.get("message").asString()).isEqualTo(body.get("detail").asString()).isNotBlank();
		assertThat(body.get("code").asString()).isEqualTo(code);
		assertThat(body.get("status").asInt()).isEqualTo(status);
	}

}
