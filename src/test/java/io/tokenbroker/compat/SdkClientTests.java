package io.tokenbroker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/** The published {@code @base44/sdk} 0.8.50, unmodified, against the broker: each connectors method. */
class SdkClientTests extends PostgresBrokerTestBase {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@BeforeAll
	static void fetchClients() {
		Base44Clients.install();
	}

	@Test
	void getConnectionReturnsTheAppsTokenAndNullConnectionConfig() {
		String app = "sdk-node-connection";
		new CompatFixtures(client()).connectApp(app, MockIdp.TYPE);
		String expected = nativeToken(app);

		JsonNode outcome = sdk(app, null, "getConnection", "mockidp");

		assertThat(outcome.get("ok").asBoolean()).as(outcome.toString()).isTrue();
		assertThat(outcome.get("result").get("accessToken").asString()).isEqualTo(expected);
		assertThat(outcome.get("result").get("connectionConfig").isNull()).isTrue();
		assertThat(sdk(app, null, "getAccessToken", "mockidp").get("result").asString()).isEqualTo(expected);
	}

	@Test
	void getWorkspaceConnectionReturnsTheConnectorsToken() {
		String app = "sdk-node-workspace";
		String connectorId = new CompatFixtures(client()).connectApp(app, MockIdp.TYPE);
		// A user token makes the SDK send on-behalf-of on this app-wide call too; the broker ignores it here.
		JsonNode outcome = sdk(app, UserTokens.forUser(app, "someone"), "getWorkspaceConnection", connectorId);
		assertThat(outcome.get("ok").asBoolean()).as(outcome.toString()).isTrue();
		assertThat(outcome.get("result").get("accessToken").asString()).isEqualTo(nativeToken(app));
	}

	@Test
	void anEndUserConnectsReadsAndDisconnectsThroughTheSdk() {
		String app = "sdk-node-user";
		String connectorId = new CompatFixtures(client()).connectApp(app, MockIdp.TYPE);
		String user = UserTokens.forUser(app, "end-user-1");

		JsonNode connect = sdk(app, user, "connectAppUser", connectorId);
		assertThat(connect.get("ok").asBoolean()).as(connect.toString()).isTrue();
		String redirectUrl = connect.get("result").asString();
		assertThat(redirectUrl).startsWith(client().baseUrl() + "/connect/");
		assertThat(OAuthDance.followAuthorization(client(), redirectUrl).body()).contains("Connected");

		JsonNode current = sdk(app, user, "getCurrentAppUserConnection", connectorId);
		assertThat(current.get("ok").asBoolean()).as(current.toString()).isTrue();
		String userToken = current.get("result").get("accessToken").asString();
		assertThat(userToken).isNotEqualTo(nativeToken(app));
		assertThat(sdk(app, user, "getCurrentAppUserAccessToken", connectorId).get("result").asString())
			.isEqualTo(userToken);

		JsonNode disconnect = sdk(app, user, "disconnectAppUser", connectorId);
		assertThat(disconnect.get("ok").asBoolean()).as(disconnect.toString()).isTrue();

		JsonNode after = sdk(app, user, "getCurrentAppUserConnection", connectorId);
		assertThat(after.get("ok").asBoolean()).isFalse();
		assertThat(after.get("status").asInt()).isEqualTo(409);
		assertThat(after.get("code").asString()).isEqualTo("not_connected");
	}

	@Test
	void errorsReachTheCallerWithStatusCodeAndMessage() {
		String app = "sdk-node-errors";
		JsonNode outcome = sdk(app, null, "getConnection", "no-such-type");
		assertThat(outcome.get("ok").asBoolean()).isFalse();
		assertThat(outcome.get("name").asString()).isEqualTo("Base44Error");
		assertThat(outcome.get("status").asInt()).isEqualTo(404);
		assertThat(outcome.get("code").asString()).isEqualTo("unknown_integration");
		assertThat(outcome.get("message").asString()).contains("Unknown integration type");
	}

	private String nativeToken(String app) {
		BrokerClient.Response response = client().get("/connectors/mockidp/connection", ServiceTokens.forApp(app));
		assertThat(response.status()).isEqualTo(200);
		return response.json().get("accessToken").asString();
	}

	private JsonNode sdk(String app, String userToken, String method, String argument) {
		Map<String, String> env = new HashMap<>();
		env.put("BASE44_SDK_ENTRY", Base44Clients.sdkEntry().toString());
		env.put("SERVER_URL", client().baseUrl());
		env.put("APP_ID", app);
		env.put("SERVICE_TOKEN", ServiceTokens.forApp(app));
		env.put("NODE_ENV", "production");
		if (userToken != null) {
			env.put("USER_TOKEN", userToken);
		}
		Base44Clients.Result result = Base44Clients.node(Base44Clients.ROOT, env, script().toString(), method,
				argument);
		assertThat(result.exitCode()).as(result.toString()).isZero();
		return JSON.readTree(result.stdout());
	}

	private static Path script() {
		try {
			return Path.of(SdkClientTests.class.getResource("/base44/sdk-call.mjs").toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
