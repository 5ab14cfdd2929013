package io.tokenbroker.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.WebSession;

/**
 * Two replicas behind a load balancer without sticky sessions: the console's sessions and an OIDC sign-in in
 * progress live in the shared database, so whichever replica answers knows the operator.
 */
class ConsoleAcrossReplicasTests {

	private static BrokerReplicas replicas;

	@BeforeAll
	static void startTwoReplicas() {
		Map<String, String> settings = new LinkedHashMap<>(MockIdp.providerProperties());
		settings.put("broker.refresh.scheduler-enabled", "false");
		settings.put("broker.console.oidc.issuer-uri", MockIdp.server().issuerUrl(MockIdp.issuer()).toString());
		settings.put("broker.console.oidc.client-id", "broker-console");
		settings.put("broker.console.oidc.client-secret", "console-secret-for-tests");
		settings.put("broker.console.oidc.allowed-emails", "ops@example.com");
		settings.put("broker.console.oidc.display-name", "Mock IdP");
		replicas = BrokerReplicas.start(2, settings);
	}

	@AfterAll
	static void stopReplicas() {
		if (replicas != null) {
			replicas.close();
		}
	}

	@Test
	void signInStartedOnOneReplicaCompletesOnTheOther() {
		WebSession first = new WebSession(replicas.client(0));
		WebSession second = first.through(replicas.client(1));
		expectSignIn("ops@example.com");
		assertThat(first.get("/console").status()).isEqualTo(302);
		BrokerClient.Response toIdentityProvider = first.get("/console/oauth2/authorization/console");
		assertThat(toIdentityProvider.status()).isEqualTo(302);
		BrokerClient.Response back = first.get(toIdentityProvider.header("Location"));
		String callback = back.header("Location");
		assertThat(callback).startsWith(replicas.client(0).baseUrl() + "/console/login/oauth2/code/console");

		BrokerClient.Response page = second.follow(
				second.get(callback.replace(replicas.client(0).baseUrl(), replicas.client(1).baseUrl())));

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Signed in as <strong>ops@example.com</strong>");
		assertThat(first.get("/console").body()).contains("Signed in as <strong>ops@example.com</strong>");
	}

	@Test
	void everyRequestAndActionAfterSignInWorksOnTheOtherReplica() {
		String app = "console-replicas-" + System.nanoTime();
		String token = ServiceTokens.forApp(app);
		assertThat(OAuthDance.connect(replicas.client(0), token, MockIdp.TYPE).status()).isEqualTo(200);
		WebSession first = new WebSession(replicas.client(0));
		WebSession second = first.through(replicas.client(1));
		signIn(first, "ops@example.com");

		BrokerClient.Response page = second.get("/console?app=" + app);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Signed in as <strong>ops@example.com</strong>").contains("App: " + app);
		// The form was read through the second replica; the action goes through the first.
		BrokerClient.Response answer = first.post("/console/disconnect", Map.of("app", app, "type", MockIdp.TYPE,
				"version", version(page), "_csrf", WebSession.csrfToken(page)));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(303);
		assertThat(second.follow(answer).body()).contains("is disconnected");
		assertThat(replicas.client(1).get("/connectors/mockidp/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");
	}

	@Test
	void signingOutOnOneReplicaSignsOutOnBoth() {
		WebSession first = new WebSession(replicas.client(0));
		WebSession second = first.through(replicas.client(1));
		BrokerClient.Response page = signIn(first, "ops@example.com");

		BrokerClient.Response out = second.follow(
				second.post("/console/logout", Map.of("_csrf", WebSession.csrfToken(page))));

		assertThat(out.body()).contains("You are signed out.");
		assertThat(first.get("/console").status()).isEqualTo(302);
		assertThat(second.get("/console").status()).isEqualTo(302);
	}

	private static BrokerClient.Response signIn(WebSession browser, String email) {
		expectSignIn(email);
		assertThat(browser.follow(browser.get("/console")).body()).contains("id=\"sign-in-oidc\"");
		BrokerClient.Response page = browser.follow(browser.get("/console/oauth2/authorization/console"));
		assertThat(page.body()).contains("Signed in as <strong>" + email + "</strong>");
		return page;
	}

	private static void expectSignIn(String email) {
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), "operator-" + email, "JWT",
				null, Map.of("email", email, "email_verified", true), 3600));
	}

	private static String version(BrokerClient.Response page) {
		var matcher = java.util.regex.Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(page.body());
		assertThat(matcher.find()).as(page.body()).isTrue();
		return matcher.group(1);
	}

}
