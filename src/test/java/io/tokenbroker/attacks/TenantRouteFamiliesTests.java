package io.tokenbroker.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/**
 * Every route family (native, end-user, proxy, Base44, audit, API keys) asked, with another app's credentials or
 * another end user's, for what belongs to a victim, by the victim's own identifiers: no answer holds the victim's data,
 * none is a 5xx, and the victim's connections and keys work as before.
 */
class TenantRouteFamiliesTests extends PostgresBrokerTestBase {

	private final String victimApp = "app-victim-" + System.nanoTime();

	private final String attackerApp = "app-attacker-" + System.nanoTime();

	private String victim;

	private String attacker;

	private String victimToken;

	private String victimUserToken;

	private String connectorId;

	private String apiKeyId;

	private String apiKey;

	@BeforeEach
	void victimWithEveryKindOfData() {
		this.victim = ServiceTokens.forApp(this.victimApp);
		this.attacker = ServiceTokens.forApp(this.attackerApp);
		OAuthDance.connect(client(), this.victim, MockIdp.TYPE);
		this.victimToken = client().get("/connectors/mockidp/connection", this.victim).json().get("accessToken")
			.asString();
		this.connectorId = client().get("/connectors/mockidp", this.victim).json().get("connectorId").asString();
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), "victim-user-account",
				"JWT", List.of("broker-client"), Map.of(), 3600));
		BrokerClient.Response connect = client().post("/app-user-connectors/" + this.connectorId + "/connect",
				UserTokens.forUser(this.victimApp, "user-a"), null);
		assertThat(OAuthDance.followAuthorization(client(), connect.json().get("redirectUrl").asString()).body())
			.contains("Connected to Mock IdP");
		this.victimUserToken = userConnection(this.victim, UserTokens.forUser(this.victimApp, "user-a")).json()
			.get("accessToken").asString();
		BrokerClient.Response key = client().post("/api-keys", this.victim, "{\"name\":\"victim\"}");
		this.apiKeyId = key.json().get("id").asString();
		this.apiKey = key.json().get("key").asString();
	}

	@Test
	void anotherAppReachesNothingOfTheVictimOnAnyRouteFamily() {
		String v = this.victimApp;
		String a = this.attackerApp;
		String c = this.connectorId;
		String attackerUser = UserTokens.forUser(a, "user-a");
		String proxy = "{\"method\":\"GET\",\"path\":\"/userinfo\"}";
		List<String> hits = new ArrayList<>();
		check(hits, "native read", client().get("/connectors/mockidp/connection", this.attacker));
		check(hits, "native connector", client().get("/connectors/mockidp", this.attacker));
		check(hits, "native list", client().get("/connectors", this.attacker));
		check(hits, "native proxy", client().post("/connectors/mockidp/proxy", this.attacker, proxy));
		check(hits, "authorize", client().post("/connectors/mockidp/authorize", this.attacker, "{}"));
		check(hits, "end-user read by connector id", userConnection(this.attacker, attackerUser));
		check(hits, "end-user read naming the victim's user", userConnection(this.attacker,
				UserTokens.forUser(v, "user-a")));
		check(hits, "end-user proxy", client().send(client().request("/app-user-connectors/" + c + "/proxy",
				this.attacker).header("On-Behalf-Of", "Bearer " + attackerUser).header("Content-Type",
						"application/json").POST(HttpRequest.BodyPublishers.ofString(proxy)).build()));
		check(hits, "end-user users", client().get("/app-user-connectors/" + c + "/users", this.attacker));
		check(hits, "end-user counts", client().get("/app-user-connectors", this.attacker));
		check(hits, "end-user connect", client().post("/app-user-connectors/" + c + "/connect", attackerUser, null));
		check(hits, "end-user disconnect", client().delete("/app-user-connectors/" + c + "/connection", attackerUser));
		for (String app : List.of(v, a)) {
			String base = "/api/apps/" + app;
			check(hits, "Base44 token " + app, client().get(base + "/external-auth/tokens/mockidp", this.attacker));
			check(hits, "Base44 token by id " + app,
					client().get(base + "/external-auth/tokens/connectors/" + c, this.attacker));
			check(hits, "Base44 list " + app, client().get(base + "/external-auth/list", this.attacker));
			check(hits, "Base44 call " + app, client().post(base + "/connectors/mockidp/call", this.attacker,
					"{\"method\":\"GET\",\"path\":\"/userinfo\"}"));
			check(hits, "Base44 end-user token " + app,
					client().get(base + "/app-user-auth/connectors/" + c + "/token", attackerUser));
			check(hits, "Base44 end-user initiate " + app,
					client().post(base + "/app-user-auth/connectors/" + c + "/initiate", attackerUser, "{}"));
		}
		check(hits, "audit by connector", client().get("/audit-events?connectorId=" + c, this.attacker));
		check(hits, "audit", client().get("/audit-events", this.attacker));
		check(hits, "API keys", client().get("/api-keys", this.attacker));
		check(hits, "revoke the victim's API key", client().delete("/api-keys/" + this.apiKeyId, this.attacker));
		check(hits, "remove the victim's connector", client().delete("/connectors/mockidp", this.attacker));

		assertThat(hits).isEmpty();
		assertVictimUntouched();
	}

	@Test
	void oneEndUserReachesNothingOfAnotherEndUserOfTheSameApp() {
		List<String> hits = new ArrayList<>();
		for (String user : List.of("user-b", "user-A", "user-a ", "user-", "user-aa", "USER-A", "user-a/..", "*")) {
			String other = UserTokens.forUser(this.victimApp, user);
			String c = this.connectorId;
			check(hits, user + " read", userConnection(this.victim, other));
			check(hits, user + " Base44 token", client().get("/api/apps/" + this.victimApp
					+ "/app-user-auth/connectors/" + c + "/token", other));
			check(hits, user + " disconnect", client().delete("/app-user-connectors/" + c + "/connection", other));
			check(hits, user + " connect", client().post("/app-user-connectors/" + c + "/connect", other, null));
		}
		assertThat(hits).isEmpty();
		assertVictimUntouched();
	}

	private void check(List<String> hits, String what, BrokerClient.Response answer) {
		// A problem's "instance" repeats the path the attacker sent; only what else the answer holds counts.
		String body = answer.body().replaceAll("\"instance\":\"[^\"]*\"", "");
		boolean leaked = body.contains(this.victimToken) || body.contains(this.victimUserToken)
				|| body.contains(this.apiKeyId) || body.contains(this.apiKey)
				|| body.contains("victim-user-account");
		if (leaked || answer.status() >= 500) {
			hits.add(what + " -> " + answer);
		}
	}

	private BrokerClient.Response userConnection(String serviceToken, String endUserToken) {
		return client().send(client().request("/app-user-connectors/" + this.connectorId + "/connection", serviceToken)
			.header("On-Behalf-Of", "Bearer " + endUserToken)
			.GET()
			.build());
	}

	private void assertVictimUntouched() {
		BrokerClient.Response read = client().get("/connectors/mockidp/connection", this.victim);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("accessToken").asString()).isEqualTo(this.victimToken);
		BrokerClient.Response user = userConnection(this.victim, UserTokens.forUser(this.victimApp, "user-a"));
		assertThat(user.status()).isEqualTo(200);
		assertThat(user.json().get("accessToken").asString()).isEqualTo(this.victimUserToken);
		assertThat(client().get("/api-keys", this.victim).body()).contains(this.apiKeyId);
		assertThat(client().get("/api-keys", this.victim).json().findValues("revokedAt"))
			.allSatisfy((revoked) -> assertThat(revoked.isNull()).isTrue());
	}

}
