package io.tokenbroker.api;

import java.nio.charset.StandardCharsets;

import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /connectors/types.d.ts}: a TypeScript declaration that fills {@code @base44/sdk}'s
 * {@code ConnectorIntegrationTypeRegistry} with the app's connector types, so that {@code getConnection(type)}
 * autocompletes them and rejects others. (The CLI's {@code types generate} fills {@code ConnectorTypeRegistry}, which
 * SDK 0.8.50 does not read.)
 */
@RestController
class SdkTypesController {

	private final ConnectorService connectors;

	SdkTypesController(ConnectorService connectors) {
		this.connectors = connectors;
	}

	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/connectors/types.d.ts")
	ResponseEntity<String> declaration(ServiceCaller caller) {
		StringBuilder out = new StringBuilder();
		out.append("// The connector types of app '").append(caller.appId()).append("', from the token broker.\n");
		out.append("// Save next to your sources (e.g. types/broker-connectors.d.ts) and include it in tsconfig.json.\n");
		out.append("declare module '@base44/sdk' {\n");
		out.append("  interface ConnectorIntegrationTypeRegistry {\n");
		for (Connector connector : this.connectors.list(caller.appId())) {
			// Types are [A-Za-z0-9_-]: nothing to escape in a string literal.
			out.append("    \"").append(connector.getIntegrationType()).append("\": true;\n");
		}
		out.append("  }\n}\n\nexport {};\n");
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
			.header("Content-Disposition", "inline; filename=\"broker-connectors.d.ts\"")
			.body(out.toString());
	}

}
