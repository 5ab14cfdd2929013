package io.tokenbroker.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/**
 * A thousand reads of random and neighbouring integration types and authorization ids, with another app's full
 * credentials, against an app that has a live connection: not one answers with the victim's data.
 */
class TenantFuzzTests extends PostgresBrokerTestBase {

	private static final long SEED = 20261122L;

	@Test
	void anotherAppsCredentialsReachNothingOfTheVictim() {
		String victim = ServiceTokens.forApp("app-fuzz-victim-" + System.nanoTime());
		OAuthDance.connect(client(), victim, MockIdp.TYPE);
		String victimToken = client().get("/connectors/mockidp/connection", victim).json().get("accessToken").asString();
		String connectorId = client().get("/connectors/mockidp", victim).json().get("connectorId").asString();
		String authorizationId = client().put("/connectors/mockidp", victim, "{\"scopes\":[\"openid\",\"more\"]}")
			.json().get("authorizationId").asString();
		String attacker = ServiceTokens.forApp("app-fuzz-attacker-" + System.nanoTime());

		Random random = new Random(SEED);
		List<String> paths = new ArrayList<>();
		for (String type : types(random)) {
			String segment = URLEncoder.encode(type, StandardCharsets.UTF_8).replace("+", "%20");
			paths.add("/connectors/" + segment + "/connection");
			paths.add("/connectors/" + segment);
		}
		for (String id : ids(random, authorizationId)) {
			paths.add("/authorizations/" + id);
		}
		paths.add("/audit-events?connectorId=" + connectorId);
		paths.add("/connectors");
		assertThat(paths).hasSizeGreaterThanOrEqualTo(1000);

		List<String> hits = new ArrayList<>();
		for (String path : paths) {
			BrokerClient.Response answer = client().get(path, attacker);
			// A problem's "instance" repeats the path the attacker sent; only what else the answer holds counts.
			String body = answer.body().replace(path, "");
			boolean leaked = body.contains(victimToken) || body.contains(connectorId) || body.contains(authorizationId);
			boolean served = answer.status() == 200 && !path.startsWith("/audit-events") && !path.equals("/connectors");
			if (leaked || served || answer.status() >= 500) {
				hits.add(path + " -> " + answer);
			}
		}
		assertThat(hits).isEmpty();
		assertThat(client().get("/connectors/mockidp/connection", victim).status()).isEqualTo(200);
	}

	/** The catalog's types, neighbours of the victim's type, and random well-formed types. */
	private static Set<String> types(Random random) {
		Set<String> types = new LinkedHashSet<>(List.of("mockidp", "MOCKIDP", "Mockidp", "mockidp-", "-mockidp",
				"mockidp_", "mockid", "mockidpp", "mock-idp", "mock_idp", "mockidp-tenant", "mockidp-issuer",
				"mockidp ", " mockidp", "mockidp\u0000", "mоckidp", "mockidp%00", "..", "mockidp/..", "*", "%",
				"mockidp' or '1'='1", "sandbox", "github", "slack", "google_calendar", "googlecalendar", "stripe"));
		String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-";
		while (types.size() < 450) {
			StringBuilder type = new StringBuilder();
			int length = 1 + random.nextInt(20);
			for (int i = 0; i < length; i++) {
				type.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			types.add(type.toString());
		}
		return types;
	}

	/** The victim's authorization id, every one-character neighbour of it, and random ids. */
	private static Set<String> ids(Random random, String real) {
		Set<String> ids = new LinkedHashSet<>();
		ids.add(real);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
		for (int i = 0; i < real.length(); i++) {
			char replacement = alphabet.charAt(random.nextInt(alphabet.length()));
			if (replacement != real.charAt(i)) {
				ids.add(real.substring(0, i) + replacement + real.substring(i + 1));
			}
		}
		while (ids.size() < 120) {
			StringBuilder id = new StringBuilder("auth_");
			for (int i = 0; i < 22; i++) {
				id.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			ids.add(id.toString());
		}
		return ids;
	}

}
