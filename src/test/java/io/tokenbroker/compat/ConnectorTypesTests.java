package io.tokenbroker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** The TypeScript declaration of the app's connector types, checked by the TypeScript compiler against the SDK. */
class ConnectorTypesTests extends PostgresBrokerTestBase {

	private static final String CHECK = """
			import { createClient } from '@base44/sdk';
			const client = createClient({ appId: 'app', serviceToken: 'token' });
			client.asServiceRole.connectors.getConnection('mockidp');
			client.asServiceRole.connectors.getConnection('stripe');
			// @ts-expect-error not one of the app's connector types
			client.asServiceRole.connectors.getConnection('googlecalendar');
			""";

	@Test
	void theDeclarationListsTheAppsConnectorTypes() {
		String app = "types-list";
		client().put("/connectors/mockidp", ServiceTokens.forApp(app), "{}");
		BrokerClient.Response response = client().get("/connectors/types.d.ts", ServiceTokens.forApp(app));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("declare module '@base44/sdk'")
			.contains("interface ConnectorIntegrationTypeRegistry")
			.contains("\"mockidp\": true;")
			.doesNotContain("stripe");
	}

	@Test
	void theSdkTypesAcceptTheAppsTypesAndRejectOthers() throws IOException {
		String app = "types-tsc";
		client().put("/connectors/mockidp", ServiceTokens.forApp(app), "{}");
		client().put("/connectors/stripe", ServiceTokens.forApp(app), "{}");
		Path tsc = Base44Clients.typescriptCompiler();
		Path dir = Files.createDirectories(Base44Clients.sdkRoot().resolve("type-checks/" + System.nanoTime()));
		Files.writeString(dir.resolve("broker-connectors.d.ts"),
				client().get("/connectors/types.d.ts", ServiceTokens.forApp(app)).body());
		Files.writeString(dir.resolve("check.ts"), CHECK);

		Base44Clients.Result withTypes = Base44Clients.node(dir, Map.of(), tsc.toString(), "--noEmit", "--strict",
				"--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "check.ts",
				"broker-connectors.d.ts");
		assertThat(withTypes.exitCode()).as(withTypes.toString()).isZero();

		// Without the declaration any string is accepted, so the expected error is missing: the check has teeth.
		Base44Clients.Result without = Base44Clients.node(dir, Map.of(), tsc.toString(), "--noEmit", "--strict",
				"--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "check.ts");
		assertThat(without.exitCode()).isNotZero();
		assertThat(without.stdout()).contains("Unused '@ts-expect-error' directive");
	}

}
