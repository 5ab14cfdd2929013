package io.tokenbroker.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The broker with every catalog type's OAuth endpoints pointed at one WireMock server, through
 * {@code broker.providers.<type>.*} overrides exactly as an operator would write them. Provider families share a path
 * (Google types all use {@code /google/token}); URLs keep the catalog's placeholders ({@code {tenant}},
 * {@code {hostname}}), so the tests see them filled. All subclasses share this one broker and one WireMock server.
 * A test drives the flow through the public API: PUT the connector, take the state from the redirect URL, call the
 * callback with a code as the provider would, then read the connection.
 */
public abstract class ProviderStubTestBase extends PostgresBrokerTestBase {

	protected static final WireMockServer PROVIDERS = start();

	protected static final String CLIENT_ID = "broker-client-id";

	/** Has characters that HTTP Basic's form-encoding must escape. */
	protected static final String CLIENT_SECRET = "broker secret/+=:%";

	protected static final String OPERATOR_STRIPE_KEY = "sk_test_OperatorDefaultKey0123456789";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The path under the stub server of each OAuth type's endpoints: shared per family, with URL placeholders. */
	private static final Map<String, String> PATHS = paths();

	/** Types whose catalog entry has a revocation endpoint; only these get one here too. */
	private static final Set<String> REVOCABLE = Set.of("gmail", "google_analytics", "googlebigquery",
			"googlecalendar", "google_classroom", "googledocs", "googledrive", "google_search_console",
			"googlesheets", "googleslides", "box", "discord", "hubspot", "linkedin", "notion", "salesforce", "slack",
			"slackbot", "tiktok");

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		String base = PROVIDERS.baseUrl();
		PATHS.forEach((type, path) -> {
			String prefix = "broker.providers." + type + ".";
			registry.add(prefix + "authorization-url", () -> base + path + "/authorize");
			registry.add(prefix + "token-url", () -> base + path + "/token");
			if (REVOCABLE.contains(type)) {
				registry.add(prefix + "revocation-url", () -> base + path + "/revoke");
			}
			registry.add(prefix + "client-id", () -> CLIENT_ID);
			registry.add(prefix + "client-secret", () -> CLIENT_SECRET);
		});
		registry.add("broker.providers.stripe.api-key", () -> OPERATOR_STRIPE_KEY);
		// Every cached test context keeps its pool open; PostgreSQL allows 100 connections for the whole suite.
		registry.add("spring.datasource.hikari.maximum-pool-size", () -> 4);
	}

	@BeforeEach
	void forgetEarlierProviderTraffic() {
		PROVIDERS.resetAll();
	}

	/** Answers POSTs to {@code path} with a fixture from {@code src/test/resources/providers/}. */
	protected static void stubToken(String path, String fixture) {
		stubToken(path, 200, fixture);
	}

	protected static void stubToken(String path, int status, String fixture) {
		PROVIDERS.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(fixture(fixture))));
	}

	protected static void stub(MappingBuilder mapping) {
		PROVIDERS.stubFor(mapping);
	}

	/** The one token request the broker sent to {@code path}. */
	protected static LoggedRequest onlyRequestTo(String path) {
		List<LoggedRequest> requests = PROVIDERS.findAll(postRequestedFor(urlPathEqualTo(path)));
		assertThat(requests).as("requests to " + path).hasSize(1);
		return requests.get(0);
	}

	protected static List<LoggedRequest> requestsTo(String path) {
		return PROVIDERS.findAll(postRequestedFor(urlPathEqualTo(path)));
	}

	/** The form parameters of a request, decoded. */
	protected static Map<String, String> form(LoggedRequest request) {
		assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : request.getBodyAsString().split("&")) {
			int eq = pair.indexOf('=');
			String previous = params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			assertThat(previous).as("parameter sent twice: " + pair).isNull();
		}
		return params;
	}

	protected static JsonNode jsonBody(LoggedRequest request) {
		assertThat(request.getHeader("Content-Type")).startsWith("application/json");
		return JSON.readTree(request.getBodyAsString());
	}

	/** RFC 6749 §2.3.1: id and secret form-encoded, then joined by ':' and base64-encoded. */
	protected static String basicAuthorization() {
		String pair = URLEncoder.encode(CLIENT_ID, StandardCharsets.UTF_8) + ":"
				+ URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8);
		return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
	}

	protected static String fixture(String name) {
		try (InputStream in = ProviderStubTestBase.class.getResourceAsStream("/providers/" + name)) {
			assertThat(in).as("fixture " + name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** PUT the connector and return the authorization request the broker built. */
	protected Authorization start(String type, String token, String body) {
		BrokerClient.Response put = client().put("/connectors/" + type, token, body);
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		String redirectUrl = put.json().get("redirectUrl").asString();
		assertThat(redirectUrl).as("redirectUrl in " + put).isNotNull();
		return new Authorization(redirectUrl, decodedQuery(redirectUrl));
	}

	/** The provider sends the browser back with {@code code}, as after consent. */
	protected BrokerClient.Response callback(Authorization authorization, String code) {
		return client().getUrl(client().baseUrl() + "/oauth/callback?state=" + authorization.state() + "&code="
				+ code, "text/html");
	}

	/** PUT, consent, callback; asserts the page says connected. */
	protected Authorization connect(String type, String token, String body, String code) {
		Authorization authorization = start(type, token, body);
		BrokerClient.Response page = callback(authorization, code);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).as(page.body()).contains("Connected to");
		return authorization;
	}

	/** {@code GET /connectors/{type}/connection}, which must succeed. */
	protected JsonNode connection(String type, String token) {
		BrokerClient.Response response = client().get("/connectors/" + type + "/connection", token);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	protected String callbackUri() {
		return client().baseUrl() + "/oauth/callback";
	}

	/** Asserts an expiry about {@code seconds} from now (the broker computes it from expires_in on receipt). */
	protected static void assertExpiresIn(JsonNode connection, long seconds) {
		Instant expiresAt = Instant.parse(connection.get("expiresAt").asString());
		Instant expected = Instant.now().plusSeconds(seconds);
		assertThat(expiresAt).isBetween(expected.minusSeconds(120), expected.plusSeconds(5));
	}

	protected static String s256(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The PKCE verifier of a token request matches the challenge the authorization request carried (RFC 7636 §4.6,
	 * S256). Returns the other parameters.
	 */
	protected static Map<String, String> withVerifiedPkce(Map<String, String> form, Authorization authorization) {
		assertThat(authorization.query()).containsEntry("code_challenge_method", "S256");
		assertThat(form.get("code_verifier")).as("code_verifier").isNotNull().hasSizeGreaterThanOrEqualTo(43);
		assertThat(s256(form.get("code_verifier"))).isEqualTo(authorization.query().get("code_challenge"));
		Map<String, String> rest = new LinkedHashMap<>(form);
		rest.remove("code_verifier");
		return rest;
	}

	/** The query parameters of a URL, percent-decoded ('+' stays '+'). */
	protected static Map<String, String> decodedQuery(String url) {
		Map<String, String> query = new LinkedHashMap<>();
		UriComponentsBuilder.fromUriString(url)
			.build()
			.getQueryParams()
			.forEach((name, values) -> {
				assertThat(values).as("query parameter " + name).hasSize(1);
				query.put(UriUtils.decode(name, StandardCharsets.UTF_8),
						UriUtils.decode(values.get(0), StandardCharsets.UTF_8));
			});
		return query;
	}

	/** An authorization request as the broker built it. */
	public record Authorization(String url, Map<String, String> query) {

		public String state() {
			return this.query.get("state");
		}

	}

	private static WireMockServer start() {
		WireMockServer server = new WireMockServer(options().dynamicPort());
		server.start();
		return server;
	}

	private static Map<String, String> paths() {
		Map<String, String> paths = new LinkedHashMap<>();
		for (String type : List.of("gmail", "google_analytics", "googlebigquery", "googlecalendar", "google_classroom",
				"googledocs", "googledrive", "google_search_console", "googlesheets", "googleslides")) {
			paths.put(type, "/google");
		}
		for (String type : List.of("microsoft_teams", "one_drive", "outlook", "share_point")) {
			paths.put(type, "/microsoft/{tenant}/oauth2/v2.0");
		}
		paths.put("slack", "/slack");
		paths.put("slackbot", "/slack");
		paths.put("salesforce", "/salesforce/{hostname}/services/oauth2");
		for (String type : List.of("airtable", "box", "clickup", "discord", "dropbox", "github", "hubspot", "linear",
				"linkedin", "notion", "splitwise", "tiktok", "typeform", "wix", "wrike")) {
			paths.put(type, "/" + type);
		}
		return paths;
	}

}
