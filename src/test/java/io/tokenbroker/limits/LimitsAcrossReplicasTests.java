package io.tokenbroker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;

/** Rate limits of a deployment of two replicas: one budget in the shared database, not one per replica. */
class LimitsAcrossReplicasTests {

	private static BrokerReplicas replicas;

	@BeforeAll
	static void startTwoReplicas() {
		Map<String, String> settings = new LinkedHashMap<>(MockIdp.providerProperties());
		settings.put("broker.refresh.scheduler-enabled", "false");
		settings.put("broker.limits.groups.reads.per-caller.capacity", "6");
		settings.put("broker.limits.groups.reads.per-caller.period", "1h");
		settings.put("broker.limits.groups.reads.per-app.capacity", "1000");
		settings.put("broker.limits.groups.reads.per-app.period", "1h");
		replicas = BrokerReplicas.start(2, settings);
	}

	@AfterAll
	static void stopReplicas() {
		if (replicas != null) {
			replicas.close();
		}
	}

	@Test
	void twoReplicasShareOneCallersBudget() {
		String token = ServiceTokens.forApp("limits-replicas-" + System.nanoTime());
		assertThat(OAuthDance.connect(replicas.client(0), token, MockIdp.TYPE).status()).isEqualTo(200);
		for (int i = 0; i < 6; i++) {
			BrokerClient replica = replicas.client(i % 2);
			assertThat(replica.get("/connectors/mockidp/connection", token).status()).as("read %d", i).isEqualTo(200);
		}
		for (int i = 0; i < 2; i++) {
			BrokerClient.Response refused = replicas.client(i).get("/connectors/mockidp/connection", token);
			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.json().get("limit").asString()).isEqualTo("caller");
		}
	}

	@Test
	void aBudgetSpentOnOneReplicaIsSpentOnTheOther() {
		String token = ServiceTokens.forApp("limits-spent-" + System.nanoTime());
		assertThat(OAuthDance.connect(replicas.client(1), token, MockIdp.TYPE).status()).isEqualTo(200);
		for (int i = 0; i < 6; i++) {
			assertThat(replicas.client(0).get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		}
		assertThat(replicas.client(1).get("/connectors/mockidp/connection", token).status()).isEqualTo(429);
	}

}
