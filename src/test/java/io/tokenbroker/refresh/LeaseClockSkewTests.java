package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.SkewedClock;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TokenEndpointMonitor;

/**
 * Refresh leases are kept in the database's time: a replica whose clock runs 90 s ahead (further than a lease and a
 * provider call together) still sees the other replicas' leases as live, so each due connection is refreshed once,
 * and no refresh token is sent twice to a server that revokes the whole grant on reuse.
 */
@RunsBesideSharedBrokers
class LeaseClockSkewTests {

	private static final String TYPE = "strictidp";

	private static final int CONNECTIONS = 12;

	private static StrictAuthorizationServer server;

	private static BrokerReplicas replicas;

	@BeforeAll
	static void start() {
		server = StrictAuthorizationServer.start();
		Map<String, String> settings = new LinkedHashMap<>(
				server.providerProperties(TYPE, StrictAuthorizationServer.CLIENT_ID));
		settings.put("broker.refresh.scheduler-enabled", "true");
		settings.put("broker.refresh.scheduler-interval", "200ms");
		settings.put("broker.refresh.window", "10s");
		settings.put("broker.refresh.jitter", "0s");
		settings.put("broker.refresh.lease", "2s");
		// Lease plus the longest provider call stays well under the skew: a lease live in database time looks
		// expired to the skewed replica's own clock.
		settings.put("broker.oauth.connect-timeout", "2s");
		settings.put("broker.oauth.read-timeout", "20s");
		replicas = BrokerReplicas.start(2, settings);
		replicas.startOne(Map.of(SkewedClock.OFFSET, "90s"));
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.tokenEndpoint().refreshDelay(Duration.ZERO);
		}
		if (replicas != null) {
			replicas.close();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void aReplicaWithItsClockAheadNeverTakesALiveLease() throws Exception {
		assertThat(Duration.between(Instant.now(), replicas.context(2).getBean(Clock.class).instant()))
			.isGreaterThan(Duration.ofSeconds(89));
		// Connected with 4 s tokens while no scheduler runs, so that all are due at once when they start.
		schedulers().forEach(RefreshScheduler::stop);
		server.accessTokenLifetime(Duration.ofSeconds(4));
		List<String> apps = new ArrayList<>();
		for (int i = 0; i < CONNECTIONS; i++) {
			String app = "app-skew-" + i;
			BrokerClient.Response callback = OAuthDance.connect(replicas.client(i % 2), ServiceTokens.forApp(app),
					TYPE);
			assertThat(callback.body()).as(callback.toString()).contains("Connected").doesNotContain("Not connected");
			apps.add(app);
		}
		server.accessTokenLifetime(Duration.ofMinutes(10));
		// Due 2.7 s after issue (the 10 s window is at most a third of the lifetime).
		Thread.sleep(3_000);
		int requestsBefore = monitor().refreshRequests();
		// A slow provider keeps every refresh in flight for 3 s, while all three replicas find the connections due.
		monitor().refreshDelay(Duration.ofSeconds(3));
		schedulers().forEach(RefreshScheduler::start);

		Instant deadline = Instant.now().plusSeconds(60);
		while (refreshed(apps) < CONNECTIONS && Instant.now().isBefore(deadline)) {
			Thread.sleep(250);
		}
		// Give a second, wrongful refresh time to happen.
		Thread.sleep(5_000);

		assertThat(refreshed(apps)).isEqualTo(CONNECTIONS);
		assertThat(monitor().refreshRequests() - requestsBefore).as("one token request per due connection")
			.isEqualTo(CONNECTIONS);
		assertThat(monitor().invalidGrants()).as("refresh tokens presented again").isZero();
		assertThat(monitor().refreshTokenUses()).allSatisfy((token, uses) -> assertThat(uses).isEqualTo(1));
		for (String app : apps) {
			BrokerClient.Response read = replicas.client(0).get("/connectors/" + TYPE + "/connection",
					ServiceTokens.forApp(app));
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			assertThat(server.accepts(read.json().get("accessToken").asString(), Instant.now())).isTrue();
		}
	}

	private static List<RefreshScheduler> schedulers() {
		List<RefreshScheduler> schedulers = new ArrayList<>();
		for (int i = 0; i < replicas.size(); i++) {
			schedulers.add(replicas.context(i).getBean(RefreshScheduler.class));
		}
		return schedulers;
	}

	private static long refreshed(List<String> apps) {
		return replicas.context(0)
			.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
			.sql("select count(*) from connection where app_id like 'app-skew-%' and last_refreshed_at is not null")
			.query(Long.class)
			.single();
	}

	private static TokenEndpointMonitor monitor() {
		return server.tokenEndpoint();
	}

}
