package io.tokenbroker.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.compat.Base44Clients;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/**
 * The SDK's {@code callApi} route and the end-user proxy route, over the same proxy as the native route, with WireMock
 * as the provider's API.
 */
class Base44CallApiTests extends ProxyBrokerTestBase {

	@Test
	void callApiAnswersTheSdkWireShape() {
		String app = connected();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{\"id\":7}")));

		BrokerClient.Response response = call(app, "{\"method\":\"GET\",\"path\":\"" + path
				+ "\",\"query\":{\"n\":3},\"headers\":{},\"body\":null}");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("success", "phase", "status_code", "data",
				"data_base64", "content_type", "headers", "credits_charged");
		assertThat(body.get("success").asBoolean()).isTrue();
		assertThat(body.get("phase").asString()).isEqualTo("responded");
		assertThat(body.get("status_code").asInt()).isEqualTo(200);
		assertThat(body.get("data").get("id").asInt()).isEqualTo(7);
		assertThat(body.get("data_base64").isNull()).isTrue();
		assertThat(body.get("content_type").isNull()).isTrue();
		assertThat(body.get("credits_charged").asInt()).isZero();
		assertThat(received(path).get(0).queryParameter("n").firstValue()).isEqualTo("3");
	}

	@Test
	void aProviderErrorIsASuccessfulCallWithSuccessFalse() {
		String app = connected();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(429)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"rate limited\"}")));

		BrokerClient.Response response = call(app, "{\"path\":\"" + path + "\"}");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("success").asBoolean()).isFalse();
		assertThat(response.json().get("status_code").asInt()).isEqualTo(429);
		assertThat(response.json().get("data").get("error").asString()).isEqualTo("rate limited");
	}

	@Test
	void aBinaryAnswerComesAsBase64WithItsContentType() {
		String app = connected();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "image/png")
			.withBody(new byte[] { (byte) 0x89, 'P', 'N', 'G' })));

		JsonNode body = call(app, "{\"path\":\"" + path + "\"}").json();

		assertThat(body.get("data").isNull()).isTrue();
		assertThat(body.get("data_base64").asString()).isEqualTo("iVBORw==");
		assertThat(body.get("content_type").asString()).isEqualTo("image/png");
	}

	@Test
	void thePublishedSdkCallsTheProviderThroughTheBroker() {
		String app = connected();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{\"ok\":true}")));
		Base44Clients.install();
		Map<String, String> env = Map.of("BASE44_SDK_ENTRY", Base44Clients.sdkEntry().toString(), "SERVER_URL",
				client().baseUrl(), "APP_ID", app, "SERVICE_TOKEN", ServiceTokens.forApp(app), "NODE_ENV",
				"production");
		String argument = "{\"type\":\"mockidp\",\"request\":{\"method\":\"POST\",\"path\":\"" + path
				+ "\",\"body\":{\"text\":\"hi\"}}}";

		Base44Clients.Result result = Base44Clients.node(Base44Clients.ROOT, env,
				Base44Clients.class.getResource("/base44/sdk-call.mjs").getPath(), "callApi", argument);

		assertThat(result.exitCode()).as(result.toString()).isZero();
		JsonNode outcome = JSON.readTree(result.stdout());
		assertThat(outcome.get("ok").asBoolean()).as(outcome.toString()).isTrue();
		JsonNode value = outcome.get("result");
		assertThat(value.get("success").asBoolean()).isTrue();
		assertThat(value.get("status").asInt()).isEqualTo(200);
		assertThat(value.get("data").get("ok").asBoolean()).isTrue();
		assertThat(value.get("creditsCharged").asInt()).isZero();
		assertThat(received(path).get(0).getBodyAsString()).isEqualTo("{\"text\":\"hi\"}");
	}

	@Test
	void theEndUserProxySendsThatUsersToken() {
		String app = connected();
		String admin = ServiceTokens.forApp(app);
		String connectorId = client().get("/connectors/mockidp", admin).json().get("connectorId").asString();
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, "user-a"), null);
		OAuthDance.followAuthorization(client(), connect.json().get("redirectUrl").asString());
		String onBehalfOf = "Bearer " + UserTokens.forUser(app, "user-a");
		String userToken = client().send(client().request("/app-user-connectors/" + connectorId + "/connection", admin)
			.header("On-Behalf-Of", onBehalfOf)
			.GET()
			.build()).json().get("accessToken").asString();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}")));

		BrokerClient.Response response = client().send(client()
			.request("/app-user-connectors/" + connectorId + "/proxy", admin)
			.header("On-Behalf-Of", onBehalfOf)
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"path\":\"" + path + "\"}"))
			.build());

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(received(path).get(0).getHeader("Authorization")).isEqualTo("Bearer " + userToken);
		assertThat(userToken).isNotEqualTo(accessToken(admin));
	}

	@Test
	void theEndUserProxyNeedsOnBehalfOf() {
		String app = connected();
		String admin = ServiceTokens.forApp(app);
		String connectorId = client().get("/connectors/mockidp", admin).json().get("connectorId").asString();
		BrokerClient.Response response = client().post("/app-user-connectors/" + connectorId + "/proxy", admin,
				"{\"path\":\"/x\"}");
		assertProblem(response, 401, "unauthorized");
	}

	private String connected() {
		String app = "app-callapi-" + UUID.randomUUID();
		BrokerClient.Response callback = OAuthDance.connect(client(), ServiceTokens.forApp(app), MockIdp.TYPE);
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		return app;
	}

	private BrokerClient.Response call(String app, String json) {
		return client().send(client().request("/api/apps/" + app + "/connectors/mockidp/call", ServiceTokens.forApp(app))
			.header("X-App-Id", app)
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

}
