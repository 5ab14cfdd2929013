package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTest;

class OpenApiDocumentTests extends PostgresBrokerTest {

	@Test
	void openApiDocumentDescribesTheNativeApi() {
		BrokerClient.Response doc = client().get("/v3/api-docs", null);
		assertThat(doc.status()).isEqualTo(200);
		assertThat(doc.json().get("paths").has("/connectors/{type}/connection")).isTrue();
		assertThat(doc.json().get("paths").has("/connectors/{type}")).isTrue();
		assertThat(doc.json().at("/components/securitySchemes/serviceToken/scheme").asString()).isEqualTo("bearer");
	}

}
