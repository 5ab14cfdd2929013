package io.tokenbroker.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An app admin chooses connection-config values, and some fill the host of a provider's token URL. Whatever the value,
 * the token request (with the shared client secret and the authorization code) goes to a host of the template's shape
 * that resolves to a public address, never to a host of the app admin's choosing.
 */
class ProviderUrlHostTests extends PostgresBrokerTestBase {

	private static final List<String> STOLEN = new CopyOnWriteArrayList<>();

	private static final HttpServer STUB = stub();

	@DynamicPropertySource
	static void leakyProviders(DynamicPropertyRegistry registry) {
		String authorize = MockIdp.server().authorizationEndpointUrl(MockIdp.issuer()).toString();
		// A field with a pattern that accepts anything: the operator's mistake the broker must survive.
		String loose = "broker.providers.loose-tenant.";
		registry.add(loose + "authorization-url", () -> authorize);
		registry.add(loose + "token-url", () -> "http://{tenant}.idp.test/token");
		registry.add(loose + "scopes", () -> "openid");
		registry.add(loose + "client-id", () -> "broker-client");
		registry.add(loose + "client-secret", () -> MockIdp.CLIENT_SECRET);
		registry.add(loose + "connection-config-fields[0].name", () -> "tenant");
		registry.add(loose + "connection-config-fields[0].validation-pattern", () -> ".+");
		// The whole host is the app's choice: it must still be a public one.
		String host = "broker.providers.any-host.";
		registry.add(host + "authorization-url", () -> authorize);
		registry.add(host + "token-url", () -> "http://{host}:" + STUB.getAddress().getPort() + "/token");
		registry.add(host + "revocation-url", () -> "http://{host}:" + STUB.getAddress().getPort() + "/revoke");
		registry.add(host + "scopes", () -> "openid");
		registry.add(host + "client-id", () -> "broker-client");
		registry.add(host + "client-secret", () -> MockIdp.CLIENT_SECRET);
		registry.add(host + "connection-config-fields[0].name", () -> "host");
		registry.add(host + "connection-config-fields[0].validation-pattern", () -> "^[a-z0-9.-]+$");
	}

	@AfterAll
	static void stopStub() {
		STUB.stop(0);
	}

	@Test
	void aValueThatEndsTheHostEarlyNeverReceivesTheClientSecret() {
		String value = "127.0.0.1:" + STUB.getAddress().getPort() + "/steal?";
		BrokerClient.Response callback = OAuthDance.connect(client(), ServiceTokens.forApp("app-loose-tenant"),
				"loose-tenant", "{\"connectionConfig\":{\"tenant\":\"" + value + "\"}}");
		assertThat(callback.status()).isLessThan(500);
		assertThat(STOLEN).isEmpty();
		assertThat(status("app-loose-tenant", "loose-tenant")).isNotEqualTo("ACTIVE");
	}

	@Test
	void aHostThatResolvesToAPrivateAddressNeverReceivesTheClientSecret() {
		BrokerClient.Response callback = OAuthDance.connect(client(), ServiceTokens.forApp("app-any-host"),
				"any-host", "{\"connectionConfig\":{\"host\":\"localhost\"}}");
		assertThat(callback.status()).isLessThan(500);
		assertThat(STOLEN).isEmpty();
		assertThat(status("app-any-host", "any-host")).isNotEqualTo("ACTIVE");
	}

	private String status(String app, String type) {
		BrokerClient.Response connector = client().get("/connectors/" + type, ServiceTokens.forApp(app));
		return connector.json().get("status").asString();
	}

	/** Records every request it receives: a request here is a leak. */
	private static HttpServer stub() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				STOLEN.add(exchange.getRequestURI() + " "
						+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
				exchange.sendResponseHeaders(400, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
