package io.tokenbroker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;

/** Dev mode serves Swagger UI over the OpenAPI document, without a token. */
class SwaggerUiTests extends H2BrokerTestBase {

	@Test
	void swaggerUiPageIsServedInDevMode() {
		BrokerClient.Response page = client().getUrl(client().baseUrl() + "/swagger-ui/index.html", "text/html");
		assertThat(page.status()).as(page.toString()).isEqualTo(200);
		assertThat(page.body()).contains("swagger-ui");
	}

	@Test
	void swaggerUiShortcutLeadsToThePage() {
		BrokerClient.Response shortcut = client().getUrl(client().baseUrl() + "/swagger-ui.html", "text/html");
		assertThat(shortcut.status()).isEqualTo(302);
		assertThat(shortcut.header("Location")).contains("/swagger-ui/index.html");
	}

	@Test
	void swaggerUiIsPointedAtTheApiDocument() {
		BrokerClient.Response config = client().get("/v3/api-docs/swagger-config", null);
		assertThat(config.status()).isEqualTo(200);
		assertThat(config.json().get("url").asString()).isEqualTo("/v3/api-docs");
	}

}
