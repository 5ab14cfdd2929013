package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.ManualClock;
import io.tokenbroker.support.MutableClock;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TokenEndpointMonitor;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tokens that live shorter than the refresh margins (Wix issues 300 s tokens; the scheduler's window is 5 minutes,
 * the read skew 60 s) are renewed once per lifetime, not again the moment they arrive. The broker runs on a clock the
 * test moves, so twenty minutes pass in seconds; the strict authorization server counts every token request.
 */
@RunsBesideSharedBrokers
class ShortLivedTokensTests {

	private static final String TYPE = "strictidp";

	private static StrictAuthorizationServer server;

	private static BrokerReplicas broker;

	@BeforeAll
	static void start() {
		server = StrictAuthorizationServer.start();
		Map<String, String> settings = new LinkedHashMap<>(
				server.providerProperties(TYPE, StrictAuthorizationServer.CLIENT_ID));
		settings.put(ManualClock.SETTING, "manual");
		settings.put("broker.refresh.scheduler-enabled", "true");
		settings.put("broker.refresh.scheduler-interval", "50ms");
		// The defaults, spelled out: both are longer than the tokens here live.
		settings.put("broker.refresh.window", "5m");
		settings.put("broker.refresh.skew", "60s");
		broker = BrokerReplicas.start(1, settings);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void a300SecondTokenIsRenewedOncePerLifetimeAndReadsInBetweenDoNotRefresh() {
		String app = "app-wix-like";
		server.accessTokenLifetime(Duration.ofSeconds(300));
		connect(app);
		int requestsBefore = monitor().refreshRequests();
		double onDemandBefore = refreshes("on_demand");

		// Twenty minutes in 10 s steps, with a read at each step: the scheduler checks for due work every 50 ms, so a
		// token due again at once would be renewed several times per step.
		for (int step = 0; step < 120; step++) {
			clock().advance(Duration.ofSeconds(10));
			awaitNothingDue(app);
			assertServed(app);
		}

		// Renewed when half to two thirds of its 300 s have passed: every 150 to 200 s (210 with the 10 s steps), so
		// 6 to 8 times in 1,200 s.
		assertThat(monitor().refreshRequests() - requestsBefore).as("token requests in 20 simulated minutes")
			.isBetween(5, 8);
		assertThat(refreshes("on_demand") - onDemandBefore).as("refreshes caused by reads").isZero();
		assertThat(monitor().invalidGrants()).isZero();
		disconnect(app);
	}

	@Test
	void theSchedulerNotTheReadsRenewsA60SecondTokenReadSeveralTimesASecond() {
		String app = "app-busy-reads";
		server.accessTokenLifetime(Duration.ofSeconds(60));
		connect(app);
		int requestsBefore = monitor().refreshRequests();
		double onDemandBefore = refreshes("on_demand");
		double scheduledBefore = refreshes("scheduled");

		// Three minutes of a read every 250 ms. The scheduler renews the token when 30 to 40 s of its 60 s have passed;
		// a read refreshes it only in its last 20 s (with the skew capped at half the lifetime, from 30 s on, reads
		// would get there first nearly every time).
		for (int step = 0; step < 720; step++) {
			clock().advance(Duration.ofMillis(250));
			awaitNothingDue(app);
			assertServed(app);
		}

		int requests = monitor().refreshRequests() - requestsBefore;
		assertThat(requests).as("token requests in 3 simulated minutes").isBetween(4, 7);
		assertThat(refreshes("scheduled") - scheduledBefore).as("refreshes by the scheduler").isEqualTo(requests);
		assertThat(refreshes("on_demand") - onDemandBefore).as("refreshes caused by reads").isZero();
		assertThat(monitor().invalidGrants()).isZero();
		disconnect(app);
	}

	@Test
	void readsAloneRefreshATokenShorterThanTheSkewOncePerLifetimeNotOnEveryRead() {
		String app = "app-reads-only";
		RefreshScheduler scheduler = broker.context(0).getBean(RefreshScheduler.class);
		scheduler.stop();
		try {
			server.accessTokenLifetime(Duration.ofSeconds(40));
			connect(app);
			int requestsBefore = monitor().refreshRequests();

			// Five minutes of reads every 5 s of a 40 s token, with the 60 s skew and no scheduler.
			for (int step = 0; step < 60; step++) {
				clock().advance(Duration.ofSeconds(5));
				assertServed(app);
			}

			// Refreshed by the first read in the last third of its life: every 30 s (the first 5 s step at or past
			// 26.7 s), 10 times in 300 s (on every read, 60 times, if the skew were not capped).
			assertThat(monitor().refreshRequests() - requestsBefore).as("token requests in 5 simulated minutes")
				.isBetween(8, 12);
			disconnect(app);
		}
		finally {
			scheduler.start();
		}
	}

	private static String connect(String app) {
		String token = ServiceTokens.forApp(app);
		BrokerClient.Response callback = OAuthDance.connect(broker.client(0), token, TYPE);
		assertThat(callback.body()).as(callback.toString()).contains("Connected").doesNotContain("Not connected");
		return token;
	}

	/** Removes the app's connection, so that its refreshes do not count in the next test's. */
	private static void disconnect(String app) {
		assertThat(broker.client(0).delete("/connectors/" + TYPE + "?purge=true", ServiceTokens.forApp(app)).status())
			.isEqualTo(204);
	}

	/** Reads the token and checks that it has not expired on the broker's clock. */
	private static void assertServed(String app) {
		BrokerClient.Response read = broker.client(0).get("/connectors/" + TYPE + "/connection",
				ServiceTokens.forApp(app));
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		assertThat(Instant.parse(read.json().get("expiresAt").asString())).isAfter(clock().instant());
	}

	/** Waits until the scheduler has renewed whatever of the app's connection is due on the broker's clock. */
	private static void awaitNothingDue(String app) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (due(app) > 0) {
			assertThat(System.nanoTime()).as("the due connection renewed within 10 s").isLessThan(deadline);
			sleep(20);
		}
	}

	private static long due(String app) {
		return broker.context(0)
			.getBean(JdbcClient.class)
			.sql("select count(*) from connection where app_id = ? and status = 'ACTIVE' and refresh_due_at <= ?")
			.params(app, clock().instant().atOffset(ZoneOffset.UTC))
			.query(Long.class)
			.single();
	}

	private static double refreshes(String trigger) {
		return broker.context(0)
			.getBean(MeterRegistry.class)
			.find("broker.refresh.attempts")
			.tag("trigger", trigger)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static MutableClock clock() {
		return (MutableClock) broker.context(0).getBean(Clock.class);
	}

	private static TokenEndpointMonitor monitor() {
		return server.tokenEndpoint();
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
