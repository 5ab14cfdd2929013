package io.tokenbroker.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.tokenbroker.support.BrokerClient;

/** What goes to the provider and what comes back, through POST /connectors/{type}/proxy. */
class ProxyForwardingTests extends ProxyBrokerTestBase {

	@Test
	void forwardsMethodPathQueryAndBodyWithTheStoredTokenAsBearer() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathMatching(path + ".*")).willReturn(okJson("{\"id\":7}")));
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("method", "POST");
		request.put("path", path + "/items?fields=a,b");
		request.put("query", Map.of("q", "x y&z", "n", 3, "flag", true, "tag", List.of("one", 2)));
		request.put("body", Map.of("text", "hi", "count", 2));

		BrokerClient.Response response = proxy(token, request);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode result = response.json();
		assertThat(result.get("success").asBoolean()).isTrue();
		assertThat(result.get("phase").asString()).isEqualTo("responded");
		assertThat(result.get("status").asInt()).isEqualTo(200);
		assertThat(result.get("data").get("id").asInt()).isEqualTo(7);
		LoggedRequest sent = received(path).get(0);
		assertThat(sent.getMethod().value()).isEqualTo("POST");
		assertThat(sent.getUrl()).startsWith(path + "/items?fields=a,b&");
		assertThat(sent.queryParameter("q").firstValue()).isEqualTo("x y&z");
		assertThat(sent.queryParameter("n").firstValue()).isEqualTo("3");
		assertThat(sent.queryParameter("flag").firstValue()).isEqualTo("true");
		assertThat(sent.queryParameter("tag").values()).containsExactly("one", "2");
		assertThat(JSON.readTree(sent.getBodyAsString())).isEqualTo(JSON.readTree("{\"text\":\"hi\",\"count\":2}"));
		assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json");
		assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + accessToken(token));
	}

	@Test
	void stringBodyIsSentAsIsWithTheCallersContentType() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}")));

		proxy(token, Map.of("method", "PUT", "path", path, "body", "amount=100&currency=eur", "headers",
				Map.of("Content-Type", "application/x-www-form-urlencoded")));

		LoggedRequest sent = received(path).get(0);
		assertThat(sent.getMethod().value()).isEqualTo("PUT");
		assertThat(sent.getBodyAsString()).isEqualTo("amount=100&currency=eur");
		assertThat(sent.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
	}

	@Test
	void bodyOfAGetIsNotSent() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}")));

		proxy(token, Map.of("path", path, "body", Map.of("ignored", true)));

		LoggedRequest sent = received(path).get(0);
		assertThat(sent.getMethod().value()).isEqualTo("GET");
		assertThat(sent.getBodyAsString()).isEmpty();
	}

	@Test
	void callersCredentialsCookiesAndHopByHopHeadersAreDropped() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(okJson("{}")));
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Bearer caller-supplied");
		headers.put("Cookie", "session=abc");
		headers.put("Host", "evil.example.com");
		headers.put("Proxy-Authorization", "Basic eDp5");
		headers.put("X-Forwarded-For", "10.0.0.1");
		headers.put("Connection", "close, X-Secret-Hop");
		headers.put("X-Secret-Hop", "1");
		headers.put("Transfer-Encoding", "chunked");
		headers.put("X-Extra", "kept");

		BrokerClient.Response response = proxy(token, Map.of("path", path, "headers", headers));

		assertThat(response.json().get("success").asBoolean()).as(response.toString()).isTrue();
		LoggedRequest sent = received(path).get(0);
		assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + accessToken(token));
		assertThat(sent.containsHeader("Cookie")).isFalse();
		assertThat(sent.getHeader("Host")).isEqualTo("localhost:" + PROVIDER_API.port());
		assertThat(sent.containsHeader("Proxy-Authorization")).isFalse();
		assertThat(sent.containsHeader("X-Forwarded-For")).isFalse();
		assertThat(sent.containsHeader("X-Secret-Hop")).isFalse();
		assertThat(sent.getHeader("X-Extra")).isEqualTo("kept");
	}

	@Test
	void providerDefaultHeadersAreSentAndTheCallerMayReplaceThem() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathMatching(path + ".*")).willReturn(okJson("{}")));

		proxy(token, Map.of("path", path + "/default"));
		proxy(token, Map.of("path", path + "/replaced", "headers", Map.of("x-api-version", "2025-06-01")));

		assertThat(received(path + "/default").get(0).getHeader("X-Api-Version")).isEqualTo("2024-01-01");
		assertThat(received(path + "/replaced").get(0).getHeader("X-Api-Version")).isEqualTo("2025-06-01");
	}

	@Test
	void jsonAnswerBecomesDataWithSelectedHeaders() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/vnd.api+json; charset=utf-8")
			.withHeader("X-RateLimit-Remaining", "41")
			.withHeader("Retry-After", "3")
			.withHeader("Set-Cookie", "provider-session=secret")
			.withHeader("X-Internal-Debug", "node-17")
			.withBody("{\"items\":[1,2]}")));

		JsonNode result = proxy(token, Map.of("path", path)).json();

		assertThat(result.get("data").get("items").size()).isEqualTo(2);
		assertThat(result.get("dataBase64").isNull()).isTrue();
		assertThat(result.get("contentType").asString()).isEqualTo("application/vnd.api+json; charset=utf-8");
		JsonNode headers = result.get("headers");
		assertThat(headers.get("x-ratelimit-remaining").asString()).isEqualTo("41");
		assertThat(headers.get("retry-after").asString()).isEqualTo("3");
		assertThat(headers.has("set-cookie")).isFalse();
		assertThat(headers.has("x-internal-debug")).isFalse();
	}

	@Test
	void textAnswerBecomesAString() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/csv; charset=utf-8")
			.withBody("a,b\n1,ü\n")));

		JsonNode result = proxy(token, Map.of("path", path)).json();

		assertThat(result.get("data").isString()).isTrue();
		assertThat(result.get("data").asString()).isEqualTo("a,b\n1,ü\n");
		assertThat(result.get("dataBase64").isNull()).isTrue();
	}

	@Test
	void binaryAnswerBecomesBase64WithItsContentType() {
		String token = connectedApp();
		String path = unique();
		byte[] png = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF };
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "image/png")
			.withBody(png)));

		JsonNode result = proxy(token, Map.of("path", path)).json();

		assertThat(result.get("success").asBoolean()).isTrue();
		assertThat(result.get("data").isNull()).isTrue();
		assertThat(Base64.getDecoder().decode(result.get("dataBase64").asString())).isEqualTo(png);
		assertThat(result.get("contentType").asString()).isEqualTo("image/png");
	}

	@Test
	void providerClientErrorIsASuccessfulProxyCallWithSuccessFalse() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(429)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Rate-Limit-Remaining", "0")
			.withBody("{\"error\":\"rate limited\"}")));

		BrokerClient.Response response = proxy(token, Map.of("path", path));

		assertThat(response.status()).isEqualTo(200);
		JsonNode result = response.json();
		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("phase").asString()).isEqualTo("responded");
		assertThat(result.get("status").asInt()).isEqualTo(429);
		assertThat(result.get("data").get("error").asString()).isEqualTo("rate limited");
		assertThat(result.get("headers").get("x-rate-limit-remaining").asString()).isEqualTo("0");
	}

	@Test
	void providerServerErrorIsReportedTheSameWay() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(503)
			.withHeader("Content-Type", "text/html")
			.withBody("<h1>down</h1>")));

		JsonNode result = proxy(token, Map.of("method", "DELETE", "path", path)).json();

		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("status").asInt()).isEqualTo(503);
		assertThat(result.get("data").asString()).isEqualTo("<h1>down</h1>");
	}

	@Test
	void headRequestReportsStatusAndHeadersWithoutBody() {
		String token = connectedApp();
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("ETag", "\"v1\"")));

		JsonNode result = proxy(token, Map.of("method", "head", "path", path)).json();

		assertThat(received(path).get(0).getMethod().value()).isEqualTo("HEAD");
		assertThat(result.get("success").asBoolean()).isTrue();
		assertThat(result.get("data").isNull()).isTrue();
		assertThat(result.get("headers").get("etag").asString()).isEqualTo("\"v1\"");
	}

	@Test
	void providerHostCanBeChosenByTheFirstLabelOfAnAllowedHost() {
		String token = connectedApp();
		// upload.example.invalid is an allowed API host that does not resolve: the call is chosen, then not sent.
		JsonNode result = proxy(token, Map.of("host", "upload", "path", unique())).json();

		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("phase").asString()).isEqualTo("not_sent");
		assertThat(result.get("status").isNull()).isTrue();
		assertThat(result.get("data").get("error").asString()).isEqualTo("unknown_host");
	}

}
