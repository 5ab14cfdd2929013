package io.tokenbroker.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.FreePorts;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * One broker for every proxy test: the {@code mockidp} type (a real OAuth server) has a WireMock server as its API,
 * configured by the operator as {@code api-base-url}, so that host is trusted although it is localhost.
 * {@code mockidp-tenant} has an API base URL whose host comes from the connection config, which is never trusted.
 */
// Verbose logging of the proxy and its HTTP client, to show that even then no token is printed.
@TestPropertySource(properties = { "logging.level.io.tokenbroker.proxy=debug",
		"logging.level.org.apache.hc.client5=debug" })
abstract class ProxyBrokerTestBase extends PostgresBrokerTestBase {

	static final WireMockServer PROVIDER_API = start();

	/** A port nothing listens on. */
	static final int CLOSED_PORT = FreePorts.next();

	static final String UNRESOLVABLE_HOST = "upload.example.invalid";

	static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void providerApi(DynamicPropertyRegistry registry) {
		String api = "http://localhost:" + PROVIDER_API.port();
		registry.add("broker.providers.mockidp.api-base-url", () -> api);
		registry.add("broker.providers.mockidp.api-base-urls", () -> "http://localhost:" + CLOSED_PORT + ","
				+ "http://" + UNRESOLVABLE_HOST + ":" + PROVIDER_API.port() + "/upload");
		registry.add("broker.providers.mockidp.api-headers.X-Api-Version", () -> "2024-01-01");
		registry.add("broker.providers.mockidp-tenant.api-base-urls", () -> "http://{tenant}:" + PROVIDER_API.port());
		registry.add("broker.proxy.read-timeout", () -> "5s");
		registry.add("broker.proxy.max-response-size", () -> "64KB");
		registry.add("broker.proxy.max-request-size", () -> "160KB");
	}

	private static WireMockServer start() {
		WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
		server.start();
		return server;
	}

	/** A service token of a new app whose mockidp connector is connected. */
	String connectedApp() {
		String token = ServiceTokens.forApp("app-proxy-" + UUID.randomUUID());
		BrokerClient.Response callback = OAuthDance.connect(client(), token, MockIdp.TYPE);
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		return token;
	}

	/** A path prefix no other test uses, so requests to the provider API can be counted per test. */
	static String unique() {
		return "/t-" + UUID.randomUUID();
	}

	BrokerClient.Response proxy(String token, Object request) {
		return proxy(token, MockIdp.TYPE, request);
	}

	BrokerClient.Response proxy(String token, String type, Object request) {
		String body = (request instanceof String s) ? s : JSON.writeValueAsString(request);
		return client().post("/connectors/" + type + "/proxy", token, body);
	}

	String accessToken(String token) {
		return client().get("/connectors/mockidp/connection", token).json().get("accessToken").asString();
	}

	static List<LoggedRequest> received(String prefix) {
		return PROVIDER_API.findAll(anyRequestedFor(urlPathMatching(prefix + ".*")));
	}

	static void assertProblem(BrokerClient.Response response, int status, String code) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo(code);
	}

}
