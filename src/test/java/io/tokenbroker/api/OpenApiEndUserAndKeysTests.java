package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;

import org.springframework.test.context.TestPropertySource;

/** The native OpenAPI document covers the end-user and API-key routes, and leaves the Base44 routes out. */
// Production mode serves the document only when asked to.
@TestPropertySource(properties = "springdoc.api-docs.enabled=true")
class OpenApiEndUserAndKeysTests extends PostgresBrokerTestBase {

	@Test
	void theDocumentListsTheNativeRoutesOnly() {
		BrokerClient.Response doc = client().get("/v3/api-docs", null);
		assertThat(doc.status()).isEqualTo(200);
		JsonNode paths = doc.json().get("paths");
		assertThat(paths.has("/app-user-connectors/{connectorId}/connect")).isTrue();
		assertThat(paths.has("/app-user-connectors/{connectorId}/connection")).isTrue();
		assertThat(paths.has("/api-keys")).isTrue();
		assertThat(paths.has("/connectors/{type}/restore")).isTrue();
		assertThat(paths.propertyNames()).noneMatch((p) -> p.startsWith("/api/"));
	}

	@Test
	void callerIdentitiesAreNotRequestParameters() {
		JsonNode parameters = client().get("/v3/api-docs", null)
			.json()
			.at("/paths/~1app-user-connectors~1{connectorId}~1connection/get/parameters");
		for (JsonNode parameter : parameters) {
			assertThat(parameter.get("name").asString()).isNotIn("caller", "user");
		}
		assertThat(parameters.size()).isEqualTo(1);
	}

}
