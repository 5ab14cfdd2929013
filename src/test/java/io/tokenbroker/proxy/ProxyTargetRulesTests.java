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

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;

/** The proxy is no open proxy: only the provider's API hosts, only paths below its base URL, no redirects followed. */
class ProxyTargetRulesTests extends ProxyBrokerTestBase {

	@Test
	void hostThatIsNotAnApiHostOfTheProviderIsRefusedAndNothingIsSent() {
		String token = connectedApp();
		String path = unique();

		BrokerClient.Response response = proxy(token, Map.of("host", "evil.example.com", "path", path));

		assertProblem(response, 400, "invalid_request");
		assertThat(response.json().get("detail").asString()).contains("not an API host of mockidp");
		assertThat(received(path)).isEmpty();
	}

	@Test
	void ipLiteralHostsAreRefused() {
		String token = connectedApp();
		String path = unique();
		for (String host : new String[] { "127.0.0.1", "[::1]", "169.254.169.254", "http://10.0.0.1",
				"2130706433" }) {
			assertProblem(proxy(token, Map.of("host", host, "path", path)), 400, "invalid_request");
		}
		assertThat(received(path)).isEmpty();
	}

	@Test
	void hostFromConnectionConfigThatResolvesToAPrivateAddressIsRefusedAndNothingIsSent() {
		// The API base URL of mockidp-tenant is http://{tenant}:<port>; the app chose the tenant "localhost".
		String token = ServiceTokens.forApp("app-proxy-private-" + UUID.randomUUID());
		BrokerClient.Response callback = OAuthDance.connect(client(), token, MockIdp.TYPE_WITH_REQUIRED_CONFIG,
				"{\"scopes\":[\"openid\"],\"connectionConfig\":{\"tenant\":\"localhost\"}}");
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}")));

		BrokerClient.Response response = proxy(token, MockIdp.TYPE_WITH_REQUIRED_CONFIG, Map.of("path", path));

		assertProblem(response, 400, "invalid_request");
		assertThat(response.json().get("detail").asString()).contains("private, loopback or link-local")
			.doesNotContain("127.0.0.1");
		assertThat(received(path)).isEmpty();
	}

	@Test
	void dotSegmentsPlainOrEncodedAreRefusedAndNothingIsSent() {
		String token = connectedApp();
		String path = unique();
		for (String escape : new String[] { path + "/../admin", path + "/%2e%2e/admin", path + "/.%2E/admin",
				path + "/%252e%252e/admin", path + "/a%2F..%2Fadmin", path + "/..;/admin", path + "/./x" }) {
			assertProblem(proxy(token, Map.of("path", escape)), 400, "invalid_request");
		}
		assertThat(received(path)).isEmpty();
		assertThat(received("/admin")).isEmpty();
	}

	@Test
	void absoluteUrlsDoubleSlashesAndBackslashesInThePathAreRefused() {
		String token = connectedApp();
		String path = unique();
		for (String escape : new String[] { "http://evil.example.com" + path, "https:" + path, "//evil.example.com"
				+ path, path + "//x", path + "\\..\\x", path + "/a b", path + "#frag" }) {
			assertProblem(proxy(token, Map.of("path", escape)), 400, "invalid_request");
		}
		assertThat(received(path)).isEmpty();
	}

	@Test
	void redirectIsReturnedToTheCallerAndNotFollowed() {
		String token = connectedApp();
		String path = unique();
		String elsewhere = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(302)
			.withHeader("Location", "http://127.0.0.1:" + PROVIDER_API.port() + elsewhere)));
		PROVIDER_API.stubFor(any(urlPathEqualTo(elsewhere)).willReturn(okJson("{\"followed\":true}")));

		JsonNode result = proxy(token, Map.of("path", path)).json();

		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("status").asInt()).isEqualTo(302);
		assertThat(result.get("headers").get("location").asString()).endsWith(elsewhere);
		assertThat(received(path)).hasSize(1);
		assertThat(received(elsewhere)).isEmpty();
	}

	@Test
	void methodsOtherThanTheSixAreRefused() {
		String token = connectedApp();
		for (String method : new String[] { "TRACE", "CONNECT", "OPTIONS", "PROPFIND" }) {
			assertProblem(proxy(token, Map.of("method", method, "path", "/x")), 400, "invalid_request");
		}
	}

	@Test
	void malformedRequestFieldsAreRefused() {
		String token = connectedApp();
		assertProblem(proxy(token, Map.of("path", "")), 400, "invalid_request");
		assertProblem(proxy(token, Map.of("path", "/x", "query", Map.of("q", Map.of("nested", 1)))), 400,
				"invalid_request");
		assertProblem(proxy(token, Map.of("path", "/x", "headers", Map.of("Bad Name", "v"))), 400,
				"invalid_request");
		assertProblem(proxy(token, Map.of("path", "/x", "headers", Map.of("X-Split", "a\r\nInjected: 1"))), 400,
				"invalid_request");
		assertProblem(proxy(token, "{\"path\": 5, \"query\": [1]}"), 400, "invalid_request");
	}

}
