package io.tokenbroker.attacks;

import static io.tokenbroker.attacks.Flows.assertNothingStored;
import static io.tokenbroker.attacks.Flows.callbackUrl;
import static io.tokenbroker.attacks.Flows.code;
import static io.tokenbroker.attacks.Flows.outcome;
import static io.tokenbroker.attacks.Flows.start;
import static io.tokenbroker.attacks.Flows.withState;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.RawHttp;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The authorization-code attacks of RFC 9700 (OAuth 2.0 Security BCP), RFC 7636 (PKCE) and RFC 9207 (mix-up), each
 * played through HTTP against a real authorization server. Every refused attack stores nothing.
 */
class OAuthAttackTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	private final String victim = ServiceTokens.forApp("app-victim-" + System.nanoTime());

	private final String attacker = ServiceTokens.forApp("app-attacker-" + System.nanoTime());

	// CSRF and state (RFC 9700 §4.7)

	@Test
	void callbackWithoutStateIsRefused() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		BrokerClient.Response answer = client().getUrl(client().baseUrl() + "/oauth/callback?code=" + code(callback),
				"application/json");
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
		assertNothingStored(client(), this.victim, MockIdp.TYPE);
		assertThat(MockIdp.codeWasNeverRedeemed(code(callback))).isTrue();
	}

	@Test
	void forgedStateIsRefusedAndLeavesTheRealOneUsable() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		String state = started.state();
		String forged = ((state.charAt(0) == 'A') ? "B" : "A") + state.substring(1);
		assertThat(client().getUrl(withState(client(), callback, forged), "text/html").status()).isEqualTo(400);
		assertNothingStored(client(), this.victim, MockIdp.TYPE);
		assertThat(client().getUrl(callback, "text/html").status()).isEqualTo(200);
		assertThat(client().get("/connectors/mockidp/connection", this.victim).status()).isEqualTo(200);
	}

	@Test
	void expiredStateIsRefusedAndItsCodeNeverRedeemed() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		this.jdbc.update("update oauth_state set expires_at = ? where id = ?",
				OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), started.authorizationId());
		BrokerClient.Response answer = client().getUrl(callback, "application/json");
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("detail").asString()).contains("expired");
		assertNothingStored(client(), this.victim, MockIdp.TYPE);
		assertThat(MockIdp.codeWasNeverRedeemed(code(callback))).isTrue();
	}

	@Test
	void anotherAppsStateCannotCarryTheVictimsCode() {
		// Code injection: the attacker pairs the victim's code with a state the attacker's app started.
		Flows.Started victims = start(client(), this.victim, MockIdp.TYPE);
		String victimCallback = callbackUrl(client(), victims);
		Flows.Started attackers = start(client(), this.attacker, MockIdp.TYPE);

		BrokerClient.Response answer = client().getUrl(withState(client(), victimCallback, attackers.state()),
				"text/html");

		// The broker redeems the code with the attacker attempt's own PKCE verifier, which the provider refuses.
		assertThat(answer.body()).contains("was not connected");
		assertThat(outcome(client(), this.attacker, attackers)).isEqualTo("FAILED");
		assertNothingStored(client(), this.attacker, MockIdp.TYPE);
		assertNothingStored(client(), this.victim, MockIdp.TYPE);
	}

	@Test
	void stateIsBoundToTheAppAndConnectorThatStartedIt() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		assertThat(client().put("/connectors/" + MockIdp.TYPE_WITH_ISSUER, this.victim, "{}").status()).isEqualTo(200);
		assertThat(client().getUrl(callbackUrl(client(), started), "text/html").status()).isEqualTo(200);

		assertThat(client().get("/connectors/mockidp/connection", this.victim).status()).isEqualTo(200);
		assertNothingStored(client(), this.victim, MockIdp.TYPE_WITH_ISSUER);
		assertThat(client().get("/connectors/mockidp/connection", this.attacker).status()).isEqualTo(404);
		assertThat(client().get("/authorizations/" + started.authorizationId(), this.attacker).status())
			.isEqualTo(404);
	}

	// Authorization code replay (RFC 9700 §4.5)

	@Test
	void theSameCodeAndStateTwiceIsRefusedTheSecondTime() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		assertThat(client().getUrl(callback, "text/html").status()).isEqualTo(200);
		String token = client().get("/connectors/mockidp/connection", this.victim).json().get("accessToken").asString();

		BrokerClient.Response replay = client().getUrl(callback, "application/json");

		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.json().get("detail").asString()).contains("already used");
		assertThat(client().get("/connectors/mockidp/connection", this.victim).json().get("accessToken").asString())
			.isEqualTo(token);
	}

	@Test
	void aUsedCodeReplayedWithAFreshStateFailsAndKeepsTheCurrentGrant() {
		Flows.Started first = start(client(), this.victim, MockIdp.TYPE);
		String usedCallback = callbackUrl(client(), first);
		client().getUrl(usedCallback, "text/html");
		String token = client().get("/connectors/mockidp/connection", this.victim).json().get("accessToken").asString();
		Flows.Started second = start(client(), this.victim, MockIdp.TYPE);

		BrokerClient.Response answer = client().getUrl(withState(client(), usedCallback, second.state()), "text/html");

		assertThat(answer.body()).contains("was not connected");
		assertThat(outcome(client(), this.victim, second)).isEqualTo("FAILED");
		assertThat(client().get("/connectors/mockidp/connection", this.victim).json().get("accessToken").asString())
			.isEqualTo(token);
	}

	// PKCE (RFC 7636, RFC 9700 §2.1.1)

	@Test
	void everyAuthorizationRequestCarriesAnS256Challenge() {
		for (String type : List.of(MockIdp.TYPE, MockIdp.TYPE_WITH_ISSUER)) {
			Map<String, String> query = start(client(), this.victim, type).query();
			assertThat(query.get("code_challenge_method")).isEqualTo("S256");
			assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
			assertThat(query).doesNotContainKey("code_verifier");
		}
	}

	@Test
	void theTokenRequestCarriesTheVerifierOfTheChallengeAndTheRegisteredRedirectUri() throws Exception {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		String code = code(callback);
		client().getUrl(callback, "text/html");

		String body = MockIdp.takeTokenRequest((b) -> b.contains("code=" + code));
		assertThat(body).as("token request with the code").isNotNull();
		Map<String, String> form = OAuthDance.query("http://x/?" + body);
		String verifier = java.net.URLDecoder.decode(form.get("code_verifier"), StandardCharsets.UTF_8);
		assertThat(s256(verifier)).isEqualTo(started.query().get("code_challenge"));
		assertThat(java.net.URLDecoder.decode(form.get("redirect_uri"), StandardCharsets.UTF_8))
			.isEqualTo(client().baseUrl() + "/oauth/callback");
		assertThat(started.authorizationUrl()).doesNotContain(verifier);
	}

	@Test
	void theVerifierIsStoredEncryptedAndForgottenAfterTheCallback() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String stored = this.jdbc.queryForObject("select code_verifier from oauth_state where id = ?", String.class,
				started.authorizationId());
		assertThat(stored).isNotNull().hasSizeGreaterThan(43);
		client().getUrl(callbackUrl(client(), started), "text/html");
		assertThat(this.jdbc.queryForObject("select code_verifier from oauth_state where id = ?", String.class,
				started.authorizationId())).isNull();
	}

	@Test
	void aTamperedVerifierFailsTheAuthorizationWithoutRedeemingTheCode() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE);
		String callback = callbackUrl(client(), started);
		String stored = this.jdbc.queryForObject("select code_verifier from oauth_state where id = ?", String.class,
				started.authorizationId());
		String tampered = stored.substring(0, 20) + ((stored.charAt(20) == 'A') ? 'B' : 'A') + stored.substring(21);
		this.jdbc.update("update oauth_state set code_verifier = ? where id = ?", tampered, started.authorizationId());

		BrokerClient.Response answer = client().getUrl(callback, "text/html");

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).contains("was not connected");
		assertThat(outcome(client(), this.victim, started)).isEqualTo("FAILED");
		assertNothingStored(client(), this.victim, MockIdp.TYPE);
		assertThat(MockIdp.codeWasNeverRedeemed(code(callback))).isTrue();
	}

	// Mix-up (RFC 9207)

	@Test
	void aResponseFromTheExpectedIssuerIsAccepted() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE_WITH_ISSUER);
		String callback = callbackUrl(client(), started) + "&iss="
				+ java.net.URLEncoder.encode(MockIdp.server().issuerUrl(MockIdp.issuer()).toString(), StandardCharsets.UTF_8);
		assertThat(client().getUrl(callback, "text/html").body()).contains("Connected to");
		assertThat(client().get("/connectors/" + MockIdp.TYPE_WITH_ISSUER + "/connection", this.victim).status())
			.isEqualTo(200);
	}

	@Test
	void aResponseNamingAnotherIssuerIsRefusedAndItsCodeNeverSent() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE_WITH_ISSUER);
		String callback = callbackUrl(client(), started);

		BrokerClient.Response answer = client().getUrl(callback + "&iss=https%3A%2F%2Fattacker.example", "text/html");

		assertThat(answer.body()).contains("was not connected").contains("invalid_issuer");
		assertThat(outcome(client(), this.victim, started)).isEqualTo("FAILED");
		assertNothingStored(client(), this.victim, MockIdp.TYPE_WITH_ISSUER);
		assertThat(MockIdp.codeWasNeverRedeemed(code(callback))).isTrue();
	}

	@Test
	void aResponseWithoutIssuerIsAcceptedFromAProviderThatSendsNone() {
		Flows.Started started = start(client(), this.victim, MockIdp.TYPE_WITH_ISSUER);
		assertThat(client().getUrl(callbackUrl(client(), started), "text/html").body()).contains("Connected to");
	}

	// Redirect URI and open redirect (RFC 9700 §4.1, §4.11)

	@Test
	void theRedirectUriIgnoresForwardedAndHostHeaders() throws Exception {
		client().put("/connectors/mockidp", this.victim, "{}");
		BrokerClient.Response forwarded = client().send(client().request("/connectors/mockidp/authorize", this.victim)
			.header("X-Forwarded-Host", "evil.example")
			.header("X-Forwarded-Proto", "https")
			.header("Forwarded", "host=evil.example;proto=https")
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(OAuthDance.query(forwarded.json().get("redirectUrl").asString()).get("redirect_uri"))
			.isEqualTo(client().baseUrl() + "/oauth/callback");

		String raw = RawHttp.exchange(this.port, "POST /connectors/mockidp/authorize HTTP/1.1\r\nHost: evil.example\r\n"
				+ "Authorization: Bearer " + this.victim + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		assertThat(raw).startsWith("HTTP/1.1 200").doesNotContain("evil.example");
	}

	@Test
	void returnUrlsOutsideTheAllowListAreRefused() {
		for (String url : List.of("https://evil.example.net/steal", "https://app.example.com.evil.net/done",
				"https://app.example.com@evil.net/done", "https://evil.net/?https://app.example.com/done",
				"//evil.net/done", "/done", "javascript:alert(1)", "data:text/html,hi", "http://app.example.com/done",
				"https://app.example.com:8443/done", "https://app.example.com/done-evil",
				"https://app.example.com/done/../evil", "https://app.example.com/done/%2e%2e/evil",
				"https://app.example.com/done/%2E%2E%2Fevil", "https://app.example.com/done\\@evil.net",
				"https://app.example.com/done#@evil.net", "https://аpp.example.com/done",
				"https://app.example.com/done\r\nLocation: https://evil.net")) {
			BrokerClient.Response answer = client().post("/connectors/mockidp/authorize", this.victim,
					"{\"returnUrl\":" + json(url) + "}");
			assertThat(answer.status()).as(url + " -> " + answer).isIn(400, 404);
		}
		client().put("/connectors/mockidp", this.victim, "{}");
		for (String url : List.of("https://app.example.com/done", "https://APP.example.com/done/step?x=1",
				"https://app.example.com:443/done")) {
			assertThat(client().post("/connectors/mockidp/authorize", this.victim, "{\"returnUrl\":" + json(url) + "}")
				.status()).as(url).isEqualTo(200);
		}
	}

	@Test
	void theReturnRedirectCarriesNoCodeStateOrToken() {
		client().put("/connectors/mockidp", this.victim, "{}");
		BrokerClient.Response start = client().post("/connectors/mockidp/authorize", this.victim,
				"{\"returnUrl\":\"https://app.example.com/done\"}");
		String callback = OAuthDance.callbackUrl(client(), start.json().get("redirectUrl").asString());
		BrokerClient.Response answer = client().getUrl(callback, "text/html");
		assertThat(answer.status()).isEqualTo(200);
		// The completion page links back to the app; the link is the only way the browser goes there.
		java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(https://app\\.example\\.com/done[^\"]*)\"")
			.matcher(answer.body());
		assertThat(link.find()).as(answer.body()).isTrue();
		String location = org.springframework.web.util.HtmlUtils.htmlUnescape(link.group(1));
		String token = client().get("/connectors/mockidp/connection", this.victim).json().get("accessToken").asString();
		assertThat(OAuthDance.query(location).keySet()).containsOnly("status", "integration_type", "connector_id");
		assertThat(location).doesNotContain(code(callback)).doesNotContain(OAuthDance.query(callback).get("state"))
			.doesNotContain(token);
		assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
	}

	private static String s256(String verifier) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private static String json(String value) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\r' -> out.append("\\r");
				case '\n' -> out.append("\\n");
				default -> out.append(c);
			}
		}
		return out.append('"').toString();
	}

}
