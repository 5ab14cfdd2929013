package io.tokenbroker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

/**
 * The published {@code base44} CLI 0.1.18, unmodified, against the broker with a workspace API key, as a CI job would
 * run it: non-interactive, {@code --json}, telemetry off. Assertions are on the CLI's own output and exit code.
 */
class CliClientTests extends PostgresBrokerTestBase {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@BeforeAll
	static void fetchClients() {
		Base44Clients.install();
	}

	@Test
	void listAvailableShowsTheBrokersConnectableTypes() throws IOException {
		String app = "cli-node-available";
		Base44Clients.Result result = cli(app, project(app), "connectors", "list-available", "--json");
		assertThat(result.exitCode()).as(result.toString()).isZero();
		JsonNode integrations = JSON.readTree(result.stdout()).get("integrations");
		JsonNode mock = find(integrations, "integrationType", "mockidp");
		assertThat(mock.get("displayName").asString()).isEqualTo("Mock IdP");
		assertThat(mock.get("connectionConfigFields").get(0).get("name").asString()).isEqualTo("subdomain");
	}

	@Test
	void pushCreatesTheConnectorThenOAuthActivatesItAndPullWritesItBack() throws IOException {
		String app = "cli-node-push";
		Path project = project(app);
		Files.createDirectories(project.resolve("connectors"));
		Files.writeString(project.resolve("connectors/mockidp.jsonc"),
				"// the app's mock IdP\n{ \"type\": \"mockidp\", \"scopes\": [\"openid\", \"email\"], }\n");

		Base44Clients.Result push = cli(app, project, "connectors", "push", "--yes", "--json");

		assertThat(push.exitCode()).as(push.toString()).isZero();
		JsonNode pushed = find(JSON.readTree(push.stdout()).get("results"), "type", "mockidp");
		assertThat(pushed.get("action").asString()).isEqualTo("needs_oauth");
		assertThat(pushed.get("connectionId").asString()).isNotBlank();
		// Non-interactive: the CLI prints the URL and stops; a person (here the test) completes the consent.
		assertThat(OAuthDance.followAuthorization(client(), pushed.get("redirectUrl").asString()).body())
			.contains("Connected");

		Base44Clients.Result again = cli(app, project, "connectors", "push", "--yes", "--json");
		assertThat(again.exitCode()).as(again.toString()).isZero();
		assertThat(find(JSON.readTree(again.stdout()).get("results"), "type", "mockidp").get("action").asString())
			.isEqualTo("synced");

		Base44Clients.Result pull = cli(app, project, "connectors", "pull", "--dir", "pulled", "--json");
		assertThat(pull.exitCode()).as(pull.toString()).isZero();
		JsonNode written = JSON.readTree(Files.readString(project.resolve("pulled/mockidp.jsonc")));
		assertThat(written.get("type").asString()).isEqualTo("mockidp");
		assertThat(written.get("scopes").toString()).isEqualTo("[\"openid\",\"email\"]");
		assertThat(Files.list(project.resolve("pulled")).count()).as("no stripe file").isEqualTo(1);
		assertThat(client().get("/connectors/mockidp", ServiceTokens.forApp(app)).json().get("status").asString())
			.isEqualTo("active");
	}

	@Test
	void initiateAnswersWithTheAuthorizationToComplete() throws IOException {
		String app = "cli-node-initiate";
		Base44Clients.Result result = cli(app, project(app), "connectors", "initiate", "--integration-type",
				"mockidp", "--scopes", "openid,email", "--json");
		assertThat(result.exitCode()).as(result.toString()).isZero();
		JsonNode body = JSON.readTree(result.stdout());
		assertThat(body.get("integrationType").asString()).isEqualTo("mockidp");
		assertThat(body.get("alreadyAuthorized").asBoolean()).isFalse();
		assertThat(body.get("redirectUrl").asString()).contains("scope=openid");
		assertThat(body.get("connectionId").asString()).isNotBlank();
	}

	@Test
	void pushFromAnEmptyDirectoryRemovesTheRemoteConnectors() throws IOException {
		String app = "cli-node-remove";
		new CompatFixtures(client()).connectApp(app, MockIdp.TYPE);
		Path project = project(app);
		Files.createDirectories(project.resolve("connectors"));

		Base44Clients.Result push = cli(app, project, "connectors", "push", "--yes", "--json");

		assertThat(push.exitCode()).as(push.toString()).isZero();
		JsonNode removed = find(JSON.readTree(push.stdout()).get("results"), "type", "mockidp");
		assertThat(removed.get("action").asString()).isEqualTo("removed");
		BrokerClient.Response connector = client().get("/connectors/mockidp", ServiceTokens.forApp(app));
		assertThat(connector.status()).isEqualTo(404);
	}

	@Test
	void aConnectorRemovedByPushIsRestoredAsItWas() throws IOException {
		String app = "cli-node-restore";
		new CompatFixtures(client()).connectApp(app, MockIdp.TYPE);
		String before = client().get("/connectors/mockidp/connection", ServiceTokens.forApp(app))
			.json()
			.get("accessToken")
			.asString();
		Path empty = project(app);
		Files.createDirectories(empty.resolve("connectors"));
		assertThat(cli(app, empty, "connectors", "push", "--yes", "--json").exitCode()).isZero();

		BrokerClient.Response restored = client().post("/connectors/mockidp/restore", ServiceTokens.forApp(app), null);
		assertThat(restored.status()).as(restored.toString()).isEqualTo(200);

		Path pulled = project(app);
		Base44Clients.Result pull = cli(app, pulled, "connectors", "pull", "--json");
		assertThat(pull.exitCode()).as(pull.toString()).isZero();
		assertThat(Files.exists(pulled.resolve("connectors/mockidp.jsonc"))).isTrue();
		Base44Clients.Result push = cli(app, pulled, "connectors", "push", "--yes", "--json");
		assertThat(find(JSON.readTree(push.stdout()).get("results"), "type", "mockidp").get("action").asString())
			.isEqualTo("synced");
		assertThat(client().get("/connectors/mockidp/connection", ServiceTokens.forApp(app))
			.json()
			.get("accessToken")
			.asString()).isEqualTo(before);
	}

	@Test
	void aRevokedKeyFailsWithTheCliOwnHint() throws IOException {
		String app = "cli-node-bad-key";
		Path project = project(app);
		Map<String, String> env = environment(app, "b44k_this-key-was-never-issued");
		Base44Clients.Result result = Base44Clients.node(project, env, Base44Clients.cliEntry().toString(),
				"connectors", "list-available", "--json");
		assertThat(result.exitCode()).isEqualTo(1);
		JsonNode error = JSON.readTree(result.stdout());
		assertThat(error.get("statusCode").asInt()).isEqualTo(401);
		assertThat(error.get("error").asString()).contains("unknown or revoked");
		assertThat(error.get("requestId").asString()).isNotBlank();
	}

	@Test
	void aServiceRoleJwtWithAnEmailSubjectWorksInTheCliJwtMode() throws IOException {
		String app = "cli-node-jwt";
		// The CLI decodes the token unverified and insists on an e-mail sub and a numeric exp; the broker verifies it.
		String jwt = ServiceTokens.sign(ServiceTokens.SECRET,
				Map.of("sub", "ci@example.com", "app_id", app, "scope", "connectors:read connectors:admin"),
				java.time.Duration.ofHours(1));
		Map<String, String> env = environment(app, null);
		env.remove("BASE44_API_KEY");
		env.put("BASE44_ACCESS_TOKEN", jwt);
		env.put("BASE44_REFRESH_TOKEN", "not-used-by-the-broker");
		env.put("HOME", Files.createDirectories(project(app).resolve("home")).toString());

		Base44Clients.Result result = Base44Clients.node(project(app), env, Base44Clients.cliEntry().toString(),
				"connectors", "list-available", "--json");

		assertThat(result.exitCode()).as(result.toString()).isZero();
		assertThat(find(JSON.readTree(result.stdout()).get("integrations"), "integrationType", "mockidp")).isNotNull();
	}

	@Test
	void withoutCredentialsTheCliFailsFastOnTheDeviceLogin() throws IOException {
		String app = "cli-node-no-credentials";
		Map<String, String> env = environment(app, null);
		env.remove("BASE44_API_KEY");
		env.put("HOME", Files.createDirectories(project(app).resolve("home")).toString());

		Base44Clients.Result result = Base44Clients.node(project(app), env, Base44Clients.cliEntry().toString(),
				"connectors", "list-available", "--json");

		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.stdout() + result.stderr()).contains("404");
	}

	private Base44Clients.Result cli(String app, Path project, String... arguments) {
		List<String> command = new ArrayList<>(List.of(Base44Clients.cliEntry().toString()));
		command.addAll(List.of(arguments));
		return Base44Clients.node(project, environment(app, new CompatFixtures(client()).apiKey(app, null)),
				command.toArray(String[]::new));
	}

	private Map<String, String> environment(String app, String apiKey) {
		Map<String, String> env = new HashMap<>();
		env.put("BASE44_API_URL", client().baseUrl());
		env.put("BASE44_APP_ID", app);
		if (apiKey != null) {
			env.put("BASE44_API_KEY", apiKey);
		}
		env.put("BASE44_DISABLE_TELEMETRY", "1");
		env.put("HOME", Base44Clients.home().toString());
		return env;
	}

	private static Path project(String app) throws IOException {
		Path dir = Base44Clients.ROOT.resolve("projects").resolve(app + "-" + System.nanoTime());
		return Files.createDirectories(dir);
	}

	private static JsonNode find(JsonNode array, String field, String value) {
		assertThat(array).as("no array").isNotNull();
		for (JsonNode item : array) {
			if (value.equals(item.path(field).asString(null))) {
				return item;
			}
		}
		throw new AssertionError("No " + field + "=" + value + " in " + array);
	}

}
