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

/**
 * Rate limits of a deployment of two replicas: one budget shared through the database, not one per replica. Each
 * replica counts in memory and learns the other's consumption when it synchronizes (here every 100 ms; with a budget of
 * 6, after every request too, as 5 % of 6 rounds up to one request).
 */
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
		settings.put("broker.limits.sync.max-unsynchronized-time", "100ms");
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
		waitForSynchronization();
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
		assertThat(replicas.client(1).get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		for (int i = 0; i < 5; i++) {
			assertThat(replicas.client(0).get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		}
		waitForSynchronization();
		assertThat(replicas.client(1).get("/connectors/mockidp/connection", token).status()).isEqualTo(429);
	}

	@Test
	void aReplicaNewToACallerLearnsItsSpentBudgetAfterItsFirstRequest() {
		String token = ServiceTokens.forApp("limits-new-" + System.nanoTime());
		assertThat(OAuthDance.connect(replicas.client(1), token, MockIdp.TYPE).status()).isEqualTo(200);
		for (int i = 0; i < 6; i++) {
			assertThat(replicas.client(0).get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		}
		waitForSynchronization();
		// Requests never wait for the database: the first one counts on a full bucket until it is synchronized.
		assertThat(replicas.client(1).get("/connectors/mockidp/connection", token).status()).isEqualTo(200);
		waitForSynchronization();
		assertThat(replicas.client(1).get("/connectors/mockidp/connection", token).status()).isEqualTo(429);
	}

	/** Ten synchronization intervals: ample on a loaded machine. */
	private static void waitForSynchronization() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
