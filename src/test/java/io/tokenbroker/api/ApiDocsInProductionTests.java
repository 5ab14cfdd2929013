package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;

/** Production mode does not publish a map of its API unless the operator asks for it (springdoc.api-docs.enabled). */
class ApiDocsInProductionTests extends PostgresBrokerTestBase {

	@Test
	void theOpenApiDocumentAndSwaggerUiAreNotServedByDefault() {
		for (String path : new String[] { "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html",
				"/swagger-ui/index.html" }) {
			BrokerClient.Response answer = client().get(path, null);
			assertThat(answer.status()).as(path).isIn(401, 404);
			assertThat(answer.body()).as(path).doesNotContain("openapi").doesNotContain("/connectors/{type}");
		}
	}

}
