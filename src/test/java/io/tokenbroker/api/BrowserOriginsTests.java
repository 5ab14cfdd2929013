package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ConnectPageClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

import org.springframework.test.context.TestPropertySource;

/**
 * Pages of an app call the end-user routes from a browser: CORS answers the origins allowed for the whole deployment
 * or by the app, nothing else, and never on service-role routes. An allowed page is also where the end user comes
 * back to after connecting.
 */
@TestPropertySource(properties = "broker.cors.allowed-origins=https://*.apps.example.com")
class BrowserOriginsTests extends PostgresBrokerTestBase {

	private static final String APP_ORIGIN = "https://frontend.example.org";

	@Test
	void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
		String connectorId = connector("origins-preflight");
		BrokerClient.Response preflight = preflight("/app-user-connectors/" + connectorId + "/connect",
				"https://shop.apps.example.com", "POST", "authorization,content-type");
		assertThat(preflight.status()).isEqualTo(204);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.apps.example.com");
		assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
	}

	@Test
	void anOriginNotOnTheListGetsAProblemWithoutCorsHeadersAndNothingIsStored() {
		String app = "origins-refused";
		String connectorId = connector(app);
		assertThat(preflight("/app-user-connectors/" + connectorId + "/connect", "https://evil.example", "POST",
				"authorization").header("Access-Control-Allow-Origin")).isNull();
		BrokerClient.Response call = client().send(client()
			.request("/app-user-connectors/" + connectorId + "/connect", UserTokens.forUser(app, "user-a"))
			.header("Origin", "https://evil.example")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(call.status()).isEqualTo(403);
		assertThat(call.contentType()).startsWith("application/problem+json");
		assertThat(call.header("Access-Control-Allow-Origin")).isNull();
		assertThat(client().get("/app-user-connectors/" + connectorId + "/users", ServiceTokens.forApp(app)).json()
			.get("users")).isEmpty();
	}

	@Test
	void aRefusedOriginOnABase44RouteGetsTheMessageTheBase44ClientsShow() {
		String app = "origins-refused-base44";
		String connectorId = connector(app);
		BrokerClient.Response call = client().send(client()
			.request("/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/initiate",
					UserTokens.forUser(app, "user-a"))
			.header("Origin", "https://evil.example")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(call.status()).isEqualTo(403);
		assertThat(call.json().get("code").asString()).isEqualTo("forbidden");
		assertThat(call.json().get("message").asString()).isEqualTo(call.json().get("detail").asString())
			.contains("origin");
	}

	@Test
	void anAppsOwnOriginsServeThatAppOnly() {
		String app = "origins-own";
		String connectorId = connector(app);
		String other = connector("origins-other");
		assertThat(allow(app, APP_ORIGIN).status()).isEqualTo(200);

		String base44 = "/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/initiate";
		assertThat(preflight(base44, APP_ORIGIN, "POST", "authorization,content-type,x-app-id,x-origin-url")
			.status()).isEqualTo(204);
		assertThat(preflight("/app-user-connectors/" + connectorId + "/connection", APP_ORIGIN, "DELETE", null)
			.status()).isEqualTo(204);
		assertThat(preflight("/app-user-connectors/" + other + "/connect", APP_ORIGIN, "POST", null).status())
			.isEqualTo(403);
		BrokerClient.Response status = client().send(client()
			.request("/app-user-connectors/" + connectorId + "/status", UserTokens.forUser(app, "user-a"))
			.header("Origin", APP_ORIGIN)
			.GET()
			.build());
		assertThat(status.status()).isEqualTo(200);
		assertThat(status.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);
		assertThat(status.json().get("status").asString()).isEqualTo("not_connected");
	}

	@Test
	void serviceRoleRoutesAnswerNoCorsEvenToAnAllowedOrigin() {
		String app = "origins-service";
		connector(app);
		allow(app, APP_ORIGIN);
		for (String path : List.of("/connectors/mockidp/connection", "/api/apps/" + app
				+ "/external-auth/tokens/mockidp", "/allowed-origins", "/connectors/mockidp/proxy")) {
			BrokerClient.Response preflight = preflight(path, APP_ORIGIN, "GET", "authorization");
			assertThat(preflight.header("Access-Control-Allow-Origin")).as(path).isNull();
			assertThat(preflight.status()).as(path).isGreaterThanOrEqualTo(400);
		}
		BrokerClient.Response read = client().send(client().request("/allowed-origins", ServiceTokens.forApp(app))
			.header("Origin", APP_ORIGIN)
			.GET()
			.build());
		assertThat(read.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void theAdminApiKeepsTheListAndRefusesAnythingThatIsNotAnOrigin() {
		String app = "origins-admin";
		assertThat(allow(app, "HTTPS://Frontend.Example.org", "http://localhost:5173", "https://*.example.net")
			.json().get("origins").toString())
			.isEqualTo("[\"http://localhost:5173\",\"https://*.example.net\",\"https://frontend.example.org\"]");
		for (String hostile : List.of("https://a.example/path", "javascript:alert(1)", "https://*.com", "*",
				"https://user@a.example", "https://a.example?x", "https://a.example\\r\\nX: y", "ftp://a.example",
				"https://" + "a".repeat(300) + ".example", "null")) {
			BrokerClient.Response refused = allow(app, hostile);
			assertThat(refused.status()).as(hostile).isEqualTo(400);
			assertThat(refused.json().get("code").asString()).isEqualTo("invalid_request");
		}
		assertThat(client().put("/allowed-origins", ServiceTokens.forApp(app), "{\"origins\":\"x\"}").status())
			.isEqualTo(400);
		assertThat(client().get("/allowed-origins", ServiceTokens.forApp(app)).json().get("origins")).hasSize(3);
		assertThat(client().put("/allowed-origins", ServiceTokens.forApp(app, ServiceTokens.READ),
				"{\"origins\":[]}").status()).isEqualTo(403);
	}

	@Test
	void theBase44PageAddressIsTheWayBackWhenItsOriginIsAllowed() {
		String app = "origins-back";
		String connectorId = connector(app);
		allow(app, APP_ORIGIN);
		String back = connectAndReturn(app, connectorId, APP_ORIGIN + "/settings?tab=apps#connectors");
		assertThat(back).startsWith(APP_ORIGIN + "/settings?tab=apps&");
		assertThat(OAuthDance.query(back)).containsEntry("status", "connected")
			.containsEntry("connector_id", connectorId);
	}

	@Test
	void aRefusedReturnUrlOfAnEndUserNamesBothPlacesThatAllowOne() {
		String app = "origins-return-refused";
		String connectorId = connector(app);
		allow(app, APP_ORIGIN);

		BrokerClient.Response refused = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, "user-a"), "{\"returnUrl\":\"https://evil.example/back\"}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("code").asString()).isEqualTo("invalid_request");
		assertThat(refused.json().get("detail").asString()).contains("broker.oauth.allowed-return-urls")
			.contains("PUT /allowed-origins");
		assertThat(client().get("/app-user-connectors/" + connectorId + "/users", ServiceTokens.forApp(app)).json()
			.get("users")).isEmpty();
	}

	@Test
	void aHostilePageAddressIsIgnoredAndTheBrokersOwnPageIsShown() {
		String app = "origins-hostile";
		String connectorId = connector(app);
		allow(app, APP_ORIGIN);
		for (String hostile : List.of("javascript:alert(document.domain)", APP_ORIGIN + "/x%0d%0aSet-Cookie:%20a=b",
				APP_ORIGIN + "/x%0aLocation:%20https://evil.example", "https://evil.example/",
				"https://user@frontend.example.org/", APP_ORIGIN + "/%2e%2e/admin")) {
			assertThat(connectAndReturn(app, connectorId, hostile)).as(hostile).isNull();
		}
	}

	/** Connects through the Base44 initiate route from a page; the Location the callback sends the browser to. */
	private String connectAndReturn(String app, String connectorId, String pageUrl) {
		BrokerClient.Response initiate = client().send(client()
			.request("/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/initiate",
					UserTokens.forUser(app, "user-a"))
			.header("Content-Type", "application/json")
			.header("X-Origin-URL", pageUrl)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(initiate.status()).as(initiate.toString()).isEqualTo(200);
		ConnectPageClient browser = new ConnectPageClient(client());
		String callback = OAuthDance.callbackUrl(client(), browser.confirm(initiate.json().get("redirect_url")
			.asString()));
		// Queued right before the code is redeemed: an identity left in the provider's shared queue would answer
		// another test's sign-in.
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), "someone@provider.test",
				"JWT", List.of("broker-client"), Map.of(), 3600));
		BrokerClient.Response answer = browser.get(callback);
		assertThat(answer.status()).as(answer.toString()).isIn(200, 303);
		return answer.header("Location");
	}

	private BrokerClient.Response allow(String app, String... origins) {
		StringBuilder json = new StringBuilder("{\"origins\":[");
		for (int i = 0; i < origins.length; i++) {
			json.append((i > 0) ? "," : "").append('"').append(origins[i].replace("\\", "\\\\")).append('"');
		}
		return client().put("/allowed-origins", ServiceTokens.forApp(app), json.append("]}").toString());
	}

	private BrokerClient.Response preflight(String path, String origin, String method, String headers) {
		HttpRequest.Builder request = client().request(path, null)
			.header("Origin", origin)
			.header("Access-Control-Request-Method", method)
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody());
		if (headers != null) {
			request.header("Access-Control-Request-Headers", headers);
		}
		return client().send(request.build());
	}

	private String connector(String app) {
		BrokerClient.Response put = client().put("/connectors/mockidp", ServiceTokens.forApp(app), "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return put.json().get("connectorId").asString();
	}

}
