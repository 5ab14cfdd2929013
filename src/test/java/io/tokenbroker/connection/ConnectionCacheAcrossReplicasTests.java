package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ReplicasWithStrictServer;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TestDatabase;

/**
 * Each replica serves token reads from its own cache of connection rows. These tests make sure a cached row never
 * outlives a change: whichever replica (or whoever, in the database) makes it, every replica serves the change within
 * moments, and the replica that made it at once. Two replicas on one PostgreSQL database, against a strict
 * authorization server.
 */
@RunsBesideSharedBrokers
class ConnectionCacheAcrossReplicasTests {

	private static final String TYPE = "strictidp";

	/** How long a change may take to reach the other replica: a notification's round trip, with room for load. */
	private static final Duration PROPAGATION = Duration.ofSeconds(2);

	private static final Pattern HITS = Pattern
		.compile("(?m)^broker_connection_cache_requests_total\\{[^}]*result=\"hit\"[^}]*} ([0-9.E]+)$");

	private static final Pattern LISTENING = Pattern
		.compile("(?m)^broker_connection_cache_listening(?:\\{[^}]*})? ([0-9.]+)$");

	@RegisterExtension
	static final ReplicasWithStrictServer deployment = ReplicasWithStrictServer.replicas(2)
		.provider(TYPE, StrictAuthorizationServer.CLIENT_ID)
		.setting("broker.refresh.scheduler-enabled", "false")
		.setting("broker.connection-cache.heartbeat", "1s");

	@Test
	void repeatedReadsAreServedFromTheCache() {
		String token = ServiceTokens.forApp("app-cache-hits");
		String accessToken = connect(token);
		double hitsBefore = hits(1);

		for (int i = 0; i < 5; i++) {
			assertThat(read(1, token).json().get("accessToken").asString()).isEqualTo(accessToken);
		}

		assertThat(hits(1) - hitsBefore).isGreaterThanOrEqualTo(4);
	}

	@Test
	void aNewAuthorizationOnOneReplicaIsServedByTheOther() {
		String token = ServiceTokens.forApp("app-cache-reauthorize");
		String first = connect(token);
		cacheOnBoth(token, first);

		String second = reauthorize(token);

		assertThat(second).isNotEqualTo(first);
		awaitOn(1, token, (read) -> read.status() == 200 && second.equals(read.json().get("accessToken").asString()));
		// The first grant was superseded at the provider: nobody may be handed it again.
		assertThat(read(0, token).json().get("accessToken").asString()).isEqualTo(second);
		assertThat(read(1, token).json().get("accessToken").asString()).isEqualTo(second);
	}

	@Test
	void aRemovedConnectorIsGoneOnBothReplicasAndTheRemovingOneAtOnce() {
		String token = ServiceTokens.forApp("app-cache-remove");
		String accessToken = connect(token);
		cacheOnBoth(token, accessToken);

		BrokerClient.Response removed = client(0).delete("/connectors/" + TYPE, token);
		assertThat(removed.status()).as(removed.toString()).isEqualTo(204);

		assertThat(read(0, token).status()).isEqualTo(404);
		awaitOn(1, token, (read) -> read.status() == 404);

		BrokerClient.Response restored = client(1).post("/connectors/" + TYPE + "/restore", token, "");
		assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
		assertThat(read(1, token).json().get("accessToken").asString()).isEqualTo(accessToken);
		awaitOn(0, token, (read) -> read.status() == 200);
	}

	@Test
	void aChangeMadeInTheDatabaseReachesEveryReplica() throws SQLException {
		String token = ServiceTokens.forApp("app-cache-sql");
		String accessToken = connect(token);
		cacheOnBoth(token, accessToken);

		sql("update connection set status = 'EXPIRED', status_reason = 'revoked by an operator', version = version + 1"
				+ " where app_id = 'app-cache-sql'");

		for (int replica = 0; replica < 2; replica++) {
			awaitOn(replica, token, (read) -> read.status() == 409
					&& "reauthorization_required".equals(read.json().get("code").asString()));
		}
	}

	@Test
	void aChangeToManyRowsInOneStatementReachesEveryReplicaForEachRow() throws SQLException {
		List<String> tokens = List.of(ServiceTokens.forApp("app-cache-many-1"), ServiceTokens.forApp("app-cache-many-2"),
				ServiceTokens.forApp("app-cache-many-3"));
		for (String token : tokens) {
			cacheOnBoth(token, connect(token));
		}

		sql("update connection set status = 'EXPIRED', status_reason = 'revoked by an operator', version = version + 1"
				+ " where app_id like 'app-cache-many-%'");

		for (String token : tokens) {
			for (int replica = 0; replica < 2; replica++) {
				awaitOn(replica, token, (read) -> read.status() == 409);
			}
		}
	}

	@Test
	void aReplicaThatLostItsListeningSessionNeverServesWhatChangedMeanwhile() throws SQLException {
		String token = ServiceTokens.forApp("app-cache-listener");
		String accessToken = connect(token);
		cacheOnBoth(token, accessToken);

		// Kill the replicas' listening sessions, and change the row before they can listen again.
		sql("select pg_terminate_backend(pid) from pg_stat_activity"
				+ " where application_name like 'token-broker change listener%' and datname = current_database()");
		sql("update connection set status = 'EXPIRED', status_reason = 'revoked', version = version + 1"
				+ " where app_id = 'app-cache-listener'");

		for (int replica = 0; replica < 2; replica++) {
			awaitOn(replica, token, (read) -> read.status() == 409);
			awaitListening(replica);
		}
	}

	private static String connect(String token) {
		BrokerClient.Response callback = OAuthDance.connect(client(0), token, TYPE);
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		BrokerClient.Response read = read(0, token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json().get("accessToken").asString();
	}

	/** A new authorization of the connected connector, completed on replica 0; returns the token it read back there. */
	private static String reauthorize(String token) {
		BrokerClient.Response started = client(0).post("/connectors/" + TYPE + "/authorize", token, "{}");
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		BrokerClient.Response callback = OAuthDance.followAuthorization(client(0),
				started.json().get("redirectUrl").asString());
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		BrokerClient.Response read = read(0, token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json().get("accessToken").asString();
	}

	/** Reads the token on both replicas until both serve {@code accessToken} (and so hold it in their caches). */
	private static void cacheOnBoth(String token, String accessToken) {
		for (int replica = 0; replica < 2; replica++) {
			awaitOn(replica, token,
					(read) -> read.status() == 200 && accessToken.equals(read.json().get("accessToken").asString()));
			read(replica, token);
		}
	}

	private static BrokerClient client(int replica) {
		return deployment.replicas().client(replica);
	}

	private static BrokerClient.Response read(int replica, String token) {
		return client(replica).get("/connectors/" + TYPE + "/connection", token);
	}

	private static void awaitOn(int replica, String token, Predicate<BrokerClient.Response> served) {
		Instant deadline = Instant.now().plus(PROPAGATION);
		BrokerClient.Response last;
		do {
			last = read(replica, token);
			if (served.test(last)) {
				return;
			}
			sleep(20);
		}
		while (Instant.now().isBefore(deadline));
		throw new AssertionError("Replica " + replica + " still answered " + last + " after " + PROPAGATION);
	}

	private static void awaitListening(int replica) {
		Instant deadline = Instant.now().plusSeconds(20);
		while (Instant.now().isBefore(deadline)) {
			if (metric(replica, LISTENING) == 1) {
				return;
			}
			sleep(100);
		}
		throw new AssertionError("Replica " + replica + " did not listen again");
	}

	private static double hits(int replica) {
		return metric(replica, HITS);
	}

	private static double metric(int replica, Pattern pattern) {
		String scrape = deployment.replicas().managementClient(replica).get("/actuator/prometheus", null).body();
		Matcher matcher = pattern.matcher(scrape);
		assertThat(matcher.find()).as(scrape).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static void sql(String statement) throws SQLException {
		TestDatabase.execute(deployment.replicas().databaseUrl(), statement);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
