package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The test authorization server is as strict as the refresh tests need it to be. */
class StrictAuthorizationServerTests {

	private static final String REDIRECT = "http://127.0.0.1:8123/oauth/callback";

	private static final String VERIFIER = "a-long-enough-pkce-code-verifier-0123456789-abcdefghijklmnop";

	private static StrictAuthorizationServer server;

	private final BrokerClient http = new BrokerClient("http://unused");

	@BeforeAll
	static void start() {
		server = StrictAuthorizationServer.start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void codeExchangeRequiresThePkceVerifier() {
		String code = authorize(challenge(VERIFIER));
		BrokerClient.Response withoutVerifier = token(Map.of("grant_type", "authorization_code", "code", code,
				"redirect_uri", REDIRECT));
		assertThat(withoutVerifier.status()).isEqualTo(400);
		BrokerClient.Response wrongVerifier = token(Map.of("grant_type", "authorization_code",
				"code", authorize(challenge(VERIFIER)), "redirect_uri", REDIRECT, "code_verifier", VERIFIER + "x"));
		assertThat(wrongVerifier.status()).isEqualTo(400);
	}

	@Test
	void authorizationWithoutPkceIsRefused() {
		BrokerClient.Response answer = this.http.getUrl(authorizationUrl(null), "text/html");
		assertThat(answer.header("Location")).as(answer.toString()).doesNotContain("code=");
	}

	@Test
	void refreshRotatesAndReusingTheOldRefreshTokenRevokesTheGrant() {
		JsonNode first = exchange();
		String used = first.get("refresh_token").asString();
		JsonNode second = refresh(used).json();
		assertThat(second.get("refresh_token").asString()).isNotEqualTo(used);
		// The refresh supersedes the first access token (a resource server would refuse it from now on).
		assertThat(server.tokenEndpoint().revokedAt(first.get("access_token").asString())).isNotNull();
		assertThat(server.tokenEndpoint().revokedAt(second.get("access_token").asString())).isNull();
		BrokerClient.Response reuse = refresh(used);
		assertThat(reuse.status()).isEqualTo(400);
		assertThat(reuse.json().get("error").asString()).isEqualTo("invalid_grant");
		assertThat(server.tokenEndpoint().refreshTokenUses()).containsEntry(used, 2);
		// Reuse revokes the whole grant: the successor is refused too, and its access token is revoked.
		assertThat(refresh(second.get("refresh_token").asString()).status()).isEqualTo(400);
		assertThat(server.tokenEndpoint().revokedAt(second.get("access_token").asString())).isNotNull();
	}

	@Test
	void concurrentUsesOfOneRefreshTokenGiveExactlyOneNewPair() throws Exception {
		String refreshToken = exchange().get("refresh_token").asString();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				answers.add(pool.submit(() -> refresh(refreshToken).status()));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : answers) {
				statuses.add(answer.get());
			}
			assertThat(statuses).containsOnlyOnce(200).filteredOn((s) -> s != 200).containsOnly(400);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void issuedAccessTokensAreAcceptedUntilTheyExpire() {
		String accessToken = exchange().get("access_token").asString();
		assertThat(server.accepts(accessToken, Instant.now())).isTrue();
		assertThat(server.accepts(accessToken, Instant.now().plusSeconds(3600))).isFalse();
		assertThat(server.accepts(accessToken.substring(0, accessToken.length() - 4) + "AAAA", Instant.now()))
			.isFalse();
	}

	private JsonNode exchange() {
		BrokerClient.Response answer = token(Map.of("grant_type", "authorization_code", "code",
				authorize(challenge(VERIFIER)), "redirect_uri", REDIRECT, "code_verifier", VERIFIER));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
		return answer.json();
	}

	private BrokerClient.Response refresh(String refreshToken) {
		return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
	}

	private String authorize(String challenge) {
		BrokerClient.Response answer = this.http.getUrl(authorizationUrl(challenge), "text/html");
		assertThat(answer.status()).as(answer.toString()).isEqualTo(302);
		return OAuthDance.query(answer.header("Location")).get("code");
	}

	private static String authorizationUrl(String challenge) {
		String url = server.baseUrl() + "/oauth2/authorize?response_type=code&client_id="
				+ StrictAuthorizationServer.CLIENT_ID + "&scope=profile&state=s1&redirect_uri=" + encode(REDIRECT);
		return (challenge != null) ? url + "&code_challenge_method=S256&code_challenge=" + challenge : url;
	}

	private BrokerClient.Response token(Map<String, String> params) {
		Map<String, String> form = new java.util.LinkedHashMap<>(params);
		form.put("client_id", StrictAuthorizationServer.CLIENT_ID);
		form.put("client_secret", StrictAuthorizationServer.CLIENT_SECRET);
		String body = form.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		return this.http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
