package io.tokenbroker.compat;

import static io.tokenbroker.compat.CompatFixtures.assertBase44Problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/** The SDK's routes with the exact wire shapes of the protocol document (§4). */
class SdkRoutesTests extends PostgresBrokerTestBase {

	private CompatFixtures fixtures() {
		return new CompatFixtures(client());
	}

	@Test
	void tokenByTypeAnswersExactlyTheThreeFieldsWithNullConnectionConfig() {
		String app = "sdk-by-type";
		fixtures().connectApp(app, MockIdp.TYPE);
		// The SDK sends on-behalf-of on every service call when it has a user token; it is ignored here.
		BrokerClient.Response response = fixtures().sdk("GET", "/api/apps/" + app + "/external-auth/tokens/mockidp",
				app, "not-even-a-jwt");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("access_token", "integration_type",
				"connection_config");
		assertThat(body.get("access_token").asString()).isNotBlank();
		assertThat(body.get("integration_type").asString()).isEqualTo("mockidp");
		assertThat(body.get("connection_config").isNull()).isTrue();
	}

	@Test
	void tokenByConnectorIdServesTheConnectorsConnectionWithItsConfig() {
		String app = "sdk-by-id";
		BrokerClient.Response callback = OAuthDance.connect(client(), ServiceTokens.forApp(app), MockIdp.TYPE,
				"{\"connectionConfig\":{\"subdomain\":\"acme\"}}");
		assertThat(callback.status()).isEqualTo(200);
		String connectorId = client().get("/connectors/mockidp", ServiceTokens.forApp(app))
			.json()
			.get("connectorId")
			.asString();
		BrokerClient.Response response = fixtures().sdk("GET",
				"/api/apps/" + app + "/external-auth/tokens/connectors/" + connectorId, app, null);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("connection_config").get("subdomain").asString()).isEqualTo("acme");
	}

	@Test
	void appUserTokenIsTheOnBehalfOfUsersOwn() {
		String app = "sdk-app-user";
		String connectorId = fixtures().connectApp(app, MockIdp.TYPE);
		BrokerClient.Response initiate = fixtures().sdkUser("POST",
				"/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/initiate", app, "user-1");
		assertThat(initiate.status()).as(initiate.toString()).isEqualTo(200);
		assertThat(initiate.json().propertyNames()).containsExactly("redirect_url");
		OAuthDance.followAuthorization(client(), initiate.json().get("redirect_url").asString());

		BrokerClient.Response mine = fixtures().sdk("GET",
				"/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/token", app,
				UserTokens.forUser(app, "user-1"));
		BrokerClient.Response appWide = fixtures().sdk("GET", "/api/apps/" + app + "/external-auth/tokens/mockidp",
				app, null);
		assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
		assertThat(mine.json().get("access_token").asString())
			.isNotEqualTo(appWide.json().get("access_token").asString());

		BrokerClient.Response other = fixtures().sdk("GET",
				"/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/token", app,
				UserTokens.forUser(app, "user-2"));
		assertBase44Problem(other, 409, "not_connected");
	}

	@Test
	void appUserTokenWithoutOnBehalfOfIsUnauthorized() {
		String app = "sdk-no-obo";
		String connectorId = fixtures().connectApp(app, MockIdp.TYPE);
		BrokerClient.Response response = fixtures().sdk("GET",
				"/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/token", app, null);
		assertBase44Problem(response, 401, "unauthorized");
	}

	@Test
	void disconnectAppUserRemovesOnlyThatUsersConnection() {
		String app = "sdk-disconnect";
		String connectorId = fixtures().connectApp(app, MockIdp.TYPE);
		String path = "/api/apps/" + app + "/app-user-auth/connectors/" + connectorId;
		BrokerClient.Response initiate = fixtures().sdkUser("POST", path + "/initiate", app, "user-1");
		OAuthDance.followAuthorization(client(), initiate.json().get("redirect_url").asString());

		BrokerClient.Response disconnect = fixtures().sdkUser("DELETE", path, app, "user-1");
		assertThat(disconnect.status()).isEqualTo(200);
		assertThat(disconnect.json().get("success").asBoolean()).isTrue();

		assertBase44Problem(fixtures().sdk("GET", path + "/token", app, UserTokens.forUser(app, "user-1")), 409,
				"not_connected");
		assertThat(fixtures().sdk("GET", "/api/apps/" + app + "/external-auth/tokens/mockidp", app, null).status())
			.isEqualTo(200);
	}

	@Test
	void userRoutesRefuseAServiceTokenAndAnotherAppsUser() {
		String app = "sdk-user-kinds";
		String connectorId = fixtures().connectApp(app, MockIdp.TYPE);
		String path = "/api/apps/" + app + "/app-user-auth/connectors/" + connectorId + "/initiate";
		assertBase44Problem(client().post(path, ServiceTokens.forApp(app), null), 401, "unauthorized");
		assertBase44Problem(fixtures().sdkUser("POST", path, "sdk-other-app", "user-1"), 404, "not_found");
	}

	@Test
	void aPathAppOtherThanTheCredentialsIsNotFound() {
		String app = "sdk-guard";
		fixtures().connectApp(app, MockIdp.TYPE);
		BrokerClient.Response response = fixtures().send("GET", "/api/apps/sdk-someone-else/external-auth/tokens/mockidp",
				ServiceTokens.forApp(app), Map.of(), null);
		assertBase44Problem(response, 404, "not_found");
	}

	@Test
	void anXAppIdThatDisagreesWithThePathIsRefused() {
		String app = "sdk-x-app-id";
		fixtures().connectApp(app, MockIdp.TYPE);
		BrokerClient.Response response = fixtures().send("GET", "/api/apps/" + app + "/external-auth/tokens/mockidp",
				ServiceTokens.forApp(app), Map.of("X-App-Id", "sdk-another"), null);
		assertBase44Problem(response, 400, "invalid_request");
	}

	@Test
	void connectorFailuresCarryTheCodeHeaderAndEchoTheRequestId() {
		String app = "sdk-errors";
		BrokerClient.Response response = fixtures().send("GET", "/api/apps/" + app + "/external-auth/tokens/mockidp",
				ServiceTokens.forApp(app), Map.of("X-Request-ID", "req-123"), null);
		assertBase44Problem(response, 404, "connector_not_found");
		assertThat(response.header("X-Base44-Connector-Error")).isEqualTo("connector_not_found");
		assertThat(response.header("X-Request-ID")).isEqualTo("req-123");
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void authenticationFailuresAreShapedForBothClients() {
		BrokerClient.Response response = fixtures().send("GET", "/api/apps/x/external-auth/tokens/mockidp", null,
				Map.of("X-Request-ID", "req-401"), null);
		assertBase44Problem(response, 401, "unauthorized");
		assertThat(response.header("X-Request-ID")).isEqualTo("req-401");
	}

	@Test
	void nativeProblemsStayWithoutTheMessageMember() {
		BrokerClient.Response response = client().get("/connectors/mockidp/connection",
				ServiceTokens.forApp("sdk-native"));
		assertThat(response.json().get("code").asString()).isEqualTo("connector_not_found");
		assertThat(response.json().has("message")).isFalse();
	}

	@Test
	void callApiFailuresOnTheBrokersSideAreErrorsWithTheConnectorErrorHeader() {
		String app = "sdk-call";
		BrokerClient.Response response = fixtures().send("POST", "/api/apps/" + app + "/connectors/mockidp/call",
				ServiceTokens.forApp(app), Map.of(),
				"{\"method\":\"GET\",\"path\":\"/me\",\"query\":{},\"headers\":{},\"body\":null}");
		assertBase44Problem(response, 404, "connector_not_found");
		assertThat(List.of(response.header("X-Base44-Connector-Error"))).containsExactly("connector_not_found");
	}

}
