package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** One app never sees or changes another app's connectors: they answer as if they did not exist. */
class AppIsolationTests extends PostgresBrokerTestBase {

	private final String owner = ServiceTokens.forApp("app-owner-" + System.nanoTime());

	private final String other = ServiceTokens.forApp("app-other-" + System.nanoTime());

	@Test
	void anotherAppCannotReadTheToken() {
		OAuthDance.connect(client(), this.owner, MockIdp.TYPE);
		BrokerClient.Response response = client().get("/connectors/mockidp/connection", this.other);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().get("code").asString()).isEqualTo("connector_not_found");
	}

	@Test
	void anotherAppSeesNoConnector() {
		OAuthDance.connect(client(), this.owner, MockIdp.TYPE);
		assertThat(client().get("/connectors/mockidp", this.other).status()).isEqualTo(404);
		assertThat(client().get("/connectors", this.other).json().get("connectors").size()).isZero();
	}

	@Test
	void anotherAppCannotDeleteOrReauthorize() {
		OAuthDance.connect(client(), this.owner, MockIdp.TYPE);
		assertThat(client().delete("/connectors/mockidp", this.other).status()).isEqualTo(404);
		assertThat(client().post("/connectors/mockidp/authorize", this.other, null).status()).isEqualTo(404);
		assertThat(client().get("/connectors/mockidp/connection", this.owner).status()).isEqualTo(200);
	}

	@Test
	void anotherAppsConnectorOfTheSameTypeIsSeparate() {
		OAuthDance.connect(client(), this.owner, MockIdp.TYPE);
		OAuthDance.connect(client(), this.other, MockIdp.TYPE);
		String ownerToken = client().get("/connectors/mockidp/connection", this.owner).json().get("accessToken")
			.asString();
		String otherToken = client().get("/connectors/mockidp/connection", this.other).json().get("accessToken")
			.asString();
		assertThat(ownerToken).isNotEqualTo(otherToken);
		assertThat(client().delete("/connectors/mockidp", this.other).status()).isEqualTo(204);
		assertThat(client().get("/connectors/mockidp/connection", this.owner).json().get("accessToken").asString())
			.isEqualTo(ownerToken);
	}

	@Test
	void anotherAppCannotPollTheAuthorization() {
		BrokerClient.Response put = client().put("/connectors/mockidp", this.owner, "{}");
		String id = put.json().get("authorizationId").asString();
		assertThat(client().get("/authorizations/" + id, this.owner).status()).isEqualTo(200);
		assertThat(client().get("/authorizations/" + id, this.other).status()).isEqualTo(404);
	}

}
