package io.tokenbroker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;

/** The benchmark's ceiling endpoint, when enabled: open, constant, and shaped like a token grant. */
@TestPropertySource(properties = "broker.bench.ceiling-endpoint=true")
class CeilingEndpointTests extends H2BrokerTestBase {

	@Test
	void enabledCeilingAnswersWithoutAuthenticationWithAGrantShapedBody() {
		BrokerClient.Response response = client().get("/bench/ceiling", null);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		assertThat(response.json().get("accessToken").asString()).hasSize(CeilingController.TOKEN_LENGTH);
		assertThat(response.json().get("integrationType").asString()).isEqualTo(CeilingController.TYPE);
		assertThat(response.json().has("connectionConfig")).isTrue();
	}

	@Test
	void enabledCeilingLeavesOtherRoutesProtected() {
		assertThat(client().get("/connectors", null).status()).isEqualTo(401);
		assertThat(client().get("/connectors/github/connection", null).status()).isEqualTo(401);
	}

}
