package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

import io.tokenbroker.connection.ConnectorPurger;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Removal is recoverable for a grace period; only the purge revokes and deletes. */
class ConnectorRemovalTests extends PostgresBrokerTestBase {

	@Autowired
	ConnectorPurger purger;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aRemovedConnectorDisappearsAtOnce() {
		String app = "removal-disappears";
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);

		assertThat(client().delete("/connectors/mockidp", token).status()).isEqualTo(204);

		assertThat(client().get("/connectors/mockidp/connection", token).json().get("code").asString())
			.isEqualTo("connector_not_found");
		assertThat(client().get("/connectors", token).json().get("connectors").size()).isZero();
		assertThat(client().delete("/connectors/mockidp", token).status()).isEqualTo(404);
	}

	@Test
	void aRemovedConnectorIsRestoredWithItsTokensAndUsers() {
		String app = "removal-restore";
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		String connectorId = client().get("/connectors/mockidp", token).json().get("connectorId").asString();
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, "user-a"), null);
		OAuthDance.followAuthorization(client(), connect.json().get("redirectUrl").asString());
		String before = client().get("/connectors/mockidp/connection", token).json().get("accessToken").asString();
		MockIdp.drainRequests();
		client().delete("/connectors/mockidp", token);
		assertThat(userToken(app, connectorId).status()).isEqualTo(404);

		BrokerClient.Response restored = client().post("/connectors/mockidp/restore", token, null);

		assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
		assertThat(restored.json().get("status").asString()).isEqualTo("active");
		assertThat(client().get("/connectors/mockidp/connection", token).json().get("accessToken").asString())
			.isEqualTo(before);
		assertThat(userToken(app, connectorId).status()).isEqualTo(200);
		assertThat(MockIdp.revocationRequests()).isEmpty();
	}

	@Test
	void savingARemovedConnectorAgainBringsItBackWithoutNewConsent() {
		String app = "removal-save-again";
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		client().delete("/connectors/mockidp", token);

		BrokerClient.Response put = client().put("/connectors/mockidp", token, "{}");

		assertThat(put.json().get("status").asString()).isEqualTo("active");
		assertThat(put.json().get("redirectUrl").isNull()).isTrue();
		assertThat(client().get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
	}

	@Test
	void afterTheGracePeriodThePurgeRevokesAndDeletes() {
		String app = "removal-purge";
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		client().delete("/connectors/mockidp", token);
		this.jdbc.sql("update connector set purge_after = purge_after - interval '8 days' where app_id = ?")
			.param(app)
			.update();
		MockIdp.drainRequests();

		this.purger.purgeDue();

		assertThat(MockIdp.revocationRequests()).hasSize(1);
		assertThat(client().post("/connectors/mockidp/restore", token, null).status()).isEqualTo(404);
		assertThat(this.jdbc.sql("select count(*) from connector where app_id = ?").param(app).query(Integer.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from connection where app_id = ?").param(app).query(Integer.class)
			.single()).isZero();
	}

	@Test
	void theGracePeriodKeepsARemovedConnectorFromThePurge() {
		String app = "removal-not-yet";
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		client().delete("/connectors/mockidp", token);

		this.purger.purgeDue();

		assertThat(client().post("/connectors/mockidp/restore", token, null).status()).isEqualTo(200);
	}

	@Test
	void anExplicitPurgeRevokesAtOnceEvenAfterARemoval() {
		String app = "removal-explicit";
		String token = ServiceTokens.forApp(app);
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		client().delete("/connectors/mockidp", token);
		MockIdp.drainRequests();

		assertThat(client().delete("/connectors/mockidp?purge=true", token).status()).isEqualTo(204);

		assertThat(MockIdp.revocationRequests()).hasSize(1);
		assertThat(client().post("/connectors/mockidp/restore", token, null).status()).isEqualTo(404);
	}

	@Test
	void restoringAConnectorThatWasNeverRemovedIsNotFound() {
		String app = "removal-nothing";
		String token = ServiceTokens.forApp(app);
		client().put("/connectors/mockidp", token, "{}");
		BrokerClient.Response response = client().post("/connectors/mockidp/restore", token, null);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().get("code").asString()).isEqualTo("connector_not_found");
	}

	private BrokerClient.Response userToken(String app, String connectorId) {
		return client().send(client()
			.request("/app-user-connectors/" + connectorId + "/connection", ServiceTokens.forApp(app))
			.header("On-Behalf-Of", "Bearer " + UserTokens.forUser(app, "user-a"))
			.GET()
			.build());
	}

}
