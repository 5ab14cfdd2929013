package io.tokenbroker.compat;

import static io.tokenbroker.compat.CompatFixtures.assertBase44Problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** The CLI's routes (C1–C8, A2) with every required field and status value of the protocol document (§5). */
class CliRoutesTests extends PostgresBrokerTestBase {

	private static final Pattern CLI_TYPE = Pattern.compile("^[a-z0-9_-]+$", Pattern.CASE_INSENSITIVE);

	private CompatFixtures fixtures() {
		return new CompatFixtures(client());
	}

	@Test
	void availableIntegrationsHaveEveryRequiredFieldAsStrings() {
		String app = "cli-available";
		BrokerClient.Response response = fixtures().cli("GET",
				"/api/apps/" + app + "/external-auth/available-integrations", fixtures().apiKey(app, null), null);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode items = response.json().get("integrations");
		assertThat(items.size()).isPositive();
		boolean sawField = false;
		for (JsonNode item : items) {
			assertThat(item.get("integration_type").asString()).isNotEmpty();
			assertThat(item.get("display_name").isString()).isTrue();
			assertThat(item.get("description").isString()).isTrue();
			assertThat(item.get("connection_config_fields").isArray()).isTrue();
			for (JsonNode field : item.get("connection_config_fields")) {
				sawField = true;
				for (String name : new String[] { "name", "display_name", "description", "placeholder" }) {
					assertThat(field.get(name).isString()).as(name + " in " + field).isTrue();
				}
				assertThat(field.get("required").isBoolean()).isTrue();
			}
		}
		assertThat(sawField).isTrue();
		assertThat(response.body()).contains("\"integration_type\":\"mockidp\"").doesNotContain("\"stripe\"");
	}

	@Test
	void listShowsEveryOAuthConnectorButNeverStripeAndOmitsAMissingEmail() {
		String app = "cli-list";
		String admin = ServiceTokens.forApp(app);
		assertThat(client().put("/connectors/mockidp", admin, "{\"scopes\":[\"openid\"]}").status()).isEqualTo(200);
		assertThat(client().put("/connectors/stripe", admin, "{}").status()).isEqualTo(200);

		BrokerClient.Response response = fixtures().cli("GET", "/api/apps/" + app + "/external-auth/list",
				fixtures().apiKey(app, null), null);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode items = response.json().get("integrations");
		assertThat(items.size()).isEqualTo(1);
		JsonNode item = items.get(0);
		assertThat(CLI_TYPE.matcher(item.get("integration_type").asString()).matches()).isTrue();
		assertThat(item.get("integration_type").asString()).isEqualTo("mockidp");
		assertThat(item.get("status").asString()).isEqualTo("disconnected");
		assertThat(item.get("scopes").isArray()).isTrue();
		assertThat(item.get("scopes").get(0).asString()).isEqualTo("openid");
		assertThat(item.has("user_email")).isFalse();
	}

	@Test
	void listStatusIsLowerCaseActiveOnceConnected() {
		String app = "cli-list-active";
		fixtures().connectApp(app, MockIdp.TYPE);
		JsonNode item = fixtures().cli("GET", "/api/apps/" + app + "/external-auth/list", fixtures().apiKey(app, null),
				null).json().get("integrations").get(0);
		assertThat(item.get("status").asString()).isEqualTo("active");
	}

	@Test
	void setAlwaysAnswersTheSixKeysAndStartsOAuth() {
		String app = "cli-set";
		BrokerClient.Response response = fixtures().cli("PUT",
				"/api/apps/" + app + "/external-auth/integrations/mockidp", fixtures().apiKey(app, null),
				"{\"scopes\":[\"openid\",\"email\"]}");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("redirect_url", "connection_id",
				"already_authorized", "error", "error_message", "other_user_email");
		assertThat(body.get("redirect_url").asString()).startsWith(MockIdp.server().baseUrl().toString());
		assertThat(body.get("connection_id").asString()).isNotBlank();
		assertThat(body.get("already_authorized").asBoolean()).isFalse();
		assertThat(body.get("error").isNull()).isTrue();
		assertThat(body.get("error_message").isNull()).isTrue();
		assertThat(body.get("other_user_email").isNull()).isTrue();
	}

	@Test
	void setIsIdempotentOnAnActiveConnectionAndAsksAgainForWiderScopes() {
		String app = "cli-set-idempotent";
		String key = fixtures().apiKey(app, null);
		String path = "/api/apps/" + app + "/external-auth/integrations/mockidp";
		JsonNode first = fixtures().cli("PUT", path, key, "{\"scopes\":[\"openid\"]}").json();
		OAuthDance.followAuthorization(client(), first.get("redirect_url").asString());

		JsonNode same = fixtures().cli("PUT", path, key, "{\"scopes\":[\"openid\"]}").json();
		assertThat(same.get("already_authorized").asBoolean()).isTrue();
		assertThat(same.get("redirect_url").isNull()).isTrue();

		JsonNode wider = fixtures().cli("PUT", path, key, "{\"scopes\":[\"openid\",\"calendar.write\"]}").json();
		assertThat(wider.get("already_authorized").asBoolean()).isFalse();
		assertThat(wider.get("redirect_url").asString()).contains("calendar.write");
		assertThat(wider.get("connection_id").asString()).isNotEqualTo(first.get("connection_id").asString());
	}

	@Test
	void statusIsUpperCasePendingThenActive() {
		String app = "cli-status";
		String key = fixtures().apiKey(app, null);
		JsonNode set = fixtures()
			.cli("PUT", "/api/apps/" + app + "/external-auth/integrations/mockidp", key, "{\"scopes\":[\"openid\"]}")
			.json();
		String status = "/api/apps/" + app + "/external-auth/status?integration_type=mockidp&connection_id="
				+ set.get("connection_id").asString();
		assertThat(fixtures().cli("GET", status, key, null).json().get("status").asString()).isEqualTo("PENDING");
		OAuthDance.followAuthorization(client(), set.get("redirect_url").asString());
		BrokerClient.Response after = fixtures().cli("GET", status, key, null);
		assertThat(after.json().propertyNames()).containsExactly("status");
		assertThat(after.json().get("status").asString()).isEqualTo("ACTIVE");
	}

	@Test
	void statusOfADeniedConsentIsFailed() {
		String app = "cli-status-failed";
		String key = fixtures().apiKey(app, null);
		JsonNode set = fixtures().cli("PUT", "/api/apps/" + app + "/external-auth/integrations/mockidp", key, "{}")
			.json();
		String state = OAuthDance.query(set.get("redirect_url").asString()).get("state");
		client().getUrl(client().baseUrl() + "/oauth/callback?state=" + state + "&error=access_denied", "text/html");
		assertThat(fixtures().cli("GET", "/api/apps/" + app + "/external-auth/status?integration_type=mockidp"
				+ "&connection_id=" + set.get("connection_id").asString(), key, null).json().get("status").asString())
			.isEqualTo("FAILED");
	}

	@Test
	void removeIsIdempotentAndAnswersTheLiteralShape() {
		String app = "cli-remove";
		String key = fixtures().apiKey(app, null);
		fixtures().connectApp(app, MockIdp.TYPE);
		String path = "/api/apps/" + app + "/external-auth/integrations/mockidp/remove";
		for (int i = 0; i < 2; i++) {
			BrokerClient.Response response = fixtures().cli("DELETE", path, key, null);
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			assertThat(response.json().get("status").asString()).isEqualTo("removed");
			assertThat(response.json().get("integration_type").asString()).isEqualTo("mockidp");
		}
		assertThat(client().get("/connectors/mockidp", ServiceTokens.forApp(app)).status()).isEqualTo(404);
	}

	@Test
	void stripeStatusAnswersNullModeWhenNotInstalled() {
		String app = "cli-stripe-status";
		BrokerClient.Response response = fixtures().cli("GET", "/api/apps/" + app + "/payments/stripe/status",
				fixtures().apiKey(app, null), null);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().has("stripe_mode")).isTrue();
		assertThat(response.json().get("stripe_mode").isNull()).isTrue();
	}

	@Test
	void stripeStatusFollowsTheAppsKeyAndInstallIsThenANoOp() {
		String app = "cli-stripe-key";
		String key = fixtures().apiKey(app, null);
		assertThat(client().put("/connectors/stripe", ServiceTokens.forApp(app),
				"{\"apiKey\":\"sk_test_51AbCdEfGhIjKlMnOpQrStUv\"}").status()).isEqualTo(200);
		assertThat(fixtures().cli("GET", "/api/apps/" + app + "/payments/stripe/status", key, null).json()
			.get("stripe_mode").asString()).isEqualTo("sandbox");
		BrokerClient.Response install = fixtures().cli("POST", "/api/apps/" + app + "/payments/stripe/install", key,
				null);
		assertThat(install.status()).isEqualTo(200);
		assertThat(install.json().get("already_installed").asBoolean()).isTrue();
		assertThat(install.json().has("claim_url")).isTrue();

		client().put("/connectors/stripe", ServiceTokens.forApp(app), "{\"apiKey\":\"rk_live_51AbCdEfGhIjKlMnOpQrStUv\"}");
		assertThat(fixtures().cli("GET", "/api/apps/" + app + "/payments/stripe/status", key, null).json()
			.get("stripe_mode").asString()).isEqualTo("live");
		assertThat(fixtures().cli("GET", "/api/apps/" + app + "/external-auth/list", key, null).body())
			.doesNotContain("stripe");
	}

	@Test
	void stripeInstallWithoutAKeySaysHowToSupplyOne() {
		String app = "cli-stripe-install";
		BrokerClient.Response response = fixtures().cli("POST", "/api/apps/" + app + "/payments/stripe/install",
				fixtures().apiKey(app, null), null);
		assertBase44Problem(response, 409, "stripe_key_required");
		assertThat(response.json().get("message").asString()).contains("PUT /connectors/stripe");
		assertThat(client().get("/connectors/stripe", ServiceTokens.forApp(app)).status()).isEqualTo(404);
	}

	@Test
	void stripeRemoveAnswersSuccess() {
		String app = "cli-stripe-remove";
		assertThat(client().put("/connectors/stripe", ServiceTokens.forApp(app), "{}").status()).isEqualTo(200);
		BrokerClient.Response response = fixtures().cli("DELETE", "/api/apps/" + app + "/payments/stripe",
				fixtures().apiKey(app, null), null);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("success").asBoolean()).isTrue();
		assertThat(client().get("/connectors/stripe", ServiceTokens.forApp(app)).status()).isEqualTo(404);
	}

	@Test
	void deviceCodeLoginIsNotFoundWithAClearMessage() {
		BrokerClient.Response response = fixtures().send("POST", "/oauth/device/code", null, Map.of(),
				"{\"client_id\":\"base44_cli\",\"scope\":\"apps:read apps:write sandbox:write\"}");
		assertBase44Problem(response, 404, "device_login_not_supported");
		assertThat(response.json().get("message").asString()).contains("BASE44_API_KEY");
	}

	@Test
	void cliTokenRefreshIsRefusedInTheOAuthErrorShape() {
		BrokerClient.Response response = client().send(client().request("/oauth/token", null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(java.net.http.HttpRequest.BodyPublishers
				.ofString("grant_type=refresh_token&refresh_token=r&client_id=base44_cli"))
			.build());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("error").asString()).isEqualTo("unsupported_grant_type");
	}

	@Test
	void unknownTypesAreRefusedWithAClearMessage() {
		String app = "cli-unknown";
		BrokerClient.Response response = fixtures().cli("PUT",
				"/api/apps/" + app + "/external-auth/integrations/My_Custom-1", fixtures().apiKey(app, null),
				"{\"scopes\":[\"read\"]}");
		assertBase44Problem(response, 404, "unknown_integration");
	}

}
