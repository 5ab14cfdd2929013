package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ReplicasWithStrictServer;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TokenEndpointMonitor;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The background refresher on two replicas sharing one database, against a strict authorization server that issues
 * short-lived access tokens, rotates refresh tokens and refuses any reuse. Reads run against both replicas while the
 * refreshers work. Ordered so that the shutdown test, which needs the replicas to itself, runs before the others leave
 * connections behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RunsBesideSharedBrokers
class ScheduledRefreshAcrossReplicasTests {

	private static final String TYPE = "strictidp";

	private static final String NO_REFRESH_TYPE = "strictidp-norefresh";

	/**
	 * Access tokens live 30 s; the schedulers renew them 16 to 20 s after issue (window 10 s, jitter 4 s), so a token
	 * always has 10 s left: more than the outage below.
	 */
	private static final Duration LIFETIME = Duration.ofSeconds(30);

	@RegisterExtension
	static final ReplicasWithStrictServer deployment = ReplicasWithStrictServer.replicas(2)
		.provider(TYPE, StrictAuthorizationServer.CLIENT_ID)
		.provider(NO_REFRESH_TYPE, StrictAuthorizationServer.NO_REFRESH_CLIENT_ID)
		.setting("broker.refresh.scheduler-enabled", "true")
		.setting("broker.refresh.scheduler-interval", "250ms")
		.setting("broker.refresh.skew", "2s")
		.setting("broker.refresh.window", "10s")
		.setting("broker.refresh.jitter", "4s")
		.setting("broker.refresh.lease", "5s")
		.setting("broker.refresh.backoff", "1s")
		.setting("broker.refresh.max-backoff", "4s")
		.setting("broker.refresh.batch-size", "10")
		.setting("broker.refresh.max-concurrent", "8")
		.setting("broker.refresh.max-concurrent-per-provider", "4")
		// A refresh whose answer times out is lost for good with a rotating provider (the provider has already moved
		// on); on a busy test machine the strict server can be slow, so give it time.
		.setting("broker.oauth.read-timeout", "60s")
		// The outage below opens the provider's circuit breaker; open for its default 30 s, it would keep refreshes
		// away until after the tokens expired. What is tested here is the scheduler's resumption, so it reopens fast.
		.setting("broker.oauth.circuit-breaker.wait-in-open-state", "2s");

	/** Grants connected in this class: each holds exactly one refresh token never used so far. */
	private static final AtomicInteger grants = new AtomicInteger();

	@AfterEach
	void quiet() {
		monitor().down(false);
		monitor().refreshDelay(Duration.ZERO);
		// Connections left behind are renewed rarely from now on.
		deployment.server().accessTokenLifetime(Duration.ofMinutes(5));
	}

	@Test
	@Order(4)
	void replicasShareTheRefreshOf100ConnectionsWhileEveryReadGetsATokenTheServerAccepts() throws Exception {
		// Issued for 30 s (due 16 to 20 s later, so connecting is not slowed by refreshes), and renewed for as long.
		deployment.server().accessTokenLifetime(Duration.ofSeconds(30));
		List<String> apps = connectMany("app-many", 100);
		deployment.server().accessTokenLifetime(LIFETIME);
		Map<String, String> first = currentTokens(apps);
		int invalidBefore = monitor().invalidGrants();

		Load load = Load.run(apps, Duration.ofSeconds(30), 100, () -> allRenewed(apps, first));

		assertThat(load.failures).isEmpty();
		assertThat(load.reads.get()).isGreaterThanOrEqualTo(100);
		assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
		assertEachRefreshTokenUsedOnce();
		assertNothingLost();
		Map<String, String> last = currentTokens(apps);
		assertThat(apps).allSatisfy((app) -> assertThat(last.get(app)).isNotEqualTo(first.get(app)));
		// Both replicas did scheduled refreshes, and report them and the backlog.
		for (int replica = 0; replica < 2; replica++) {
			String metrics = deployment.replicas().managementClient(replica).get("/actuator/prometheus", null).body();
			assertThat(scheduledSuccesses(metrics)).as("replica " + replica).isGreaterThan(20);
			assertThat(metrics).contains("broker_refresh_backlog ").contains("broker_refresh_oldest_overdue_seconds ");
		}
	}

	@Test
	@Order(3)
	void tokenEndpointOutageKeepsValidTokensServedAndScheduledRefreshResumesWithNothingLost() throws Exception {
		deployment.server().accessTokenLifetime(LIFETIME);
		Instant connected = Instant.now();
		List<String> apps = connectMany("app-outage", 20);
		Map<String, String> first = currentTokens(apps);
		int invalidBefore = monitor().invalidGrants();
		int refusedBefore = monitor().refused();
		// The outage starts shortly before the first renewals are due (16 s after issue) and outlasts the last (20 s),
		// however long connecting took.
		Thread.sleep(Math.max(0, Duration.ofSeconds(12).minus(Duration.between(connected, Instant.now())).toMillis()));

		monitor().down(true);
		Load outage = Load.run(apps, Duration.ofSeconds(9), 0);
		monitor().down(false);
		Load recovery = Load.run(apps, Duration.ofSeconds(12), 0, () -> allRenewed(apps, first));

		assertThat(monitor().refused()).as("refreshes were attempted during the outage").isGreaterThan(refusedBefore);
		assertThat(outage.failures).isEmpty();
		assertThat(recovery.failures).isEmpty();
		assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
		assertEachRefreshTokenUsedOnce();
		assertNothingLost();
		Map<String, String> last = currentTokens(apps);
		assertThat(apps).allSatisfy((app) -> assertThat(last.get(app)).isNotEqualTo(first.get(app)));
	}

	@Test
	@Order(2)
	void expiringTokenWithoutRefreshTokenBecomesExpiredAtExpiryWithoutAnyRead() throws Exception {
		String token = ServiceTokens.forApp("app-no-refresh");
		deployment.server().accessTokenLifetime(Duration.ofSeconds(3));
		BrokerClient.Response callback = OAuthDance.connect(client(0), token, NO_REFRESH_TYPE);
		assertThat(callback.status()).isEqualTo(200);
		Instant connected = Instant.now();
		deployment.server().accessTokenLifetime(Duration.ofMinutes(5));
		assertThat(status(token, NO_REFRESH_TYPE)).isEqualTo("active");

		Instant deadline = connected.plusSeconds(15);
		while (!"expired".equals(status(token, NO_REFRESH_TYPE)) && Instant.now().isBefore(deadline)) {
			Thread.sleep(200);
		}

		assertThat(status(token, NO_REFRESH_TYPE)).isEqualTo("expired");
		assertThat(Duration.between(connected, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		BrokerClient.Response read = client(1).get("/connectors/" + NO_REFRESH_TYPE + "/connection", token);
		assertThat(read.status()).isEqualTo(409);
		assertThat(read.json().get("code").asString()).isEqualTo("reauthorization_required");
	}

	@Test
	@Order(1)
	void shutdownFinishesRefreshesInFlightAndGivesBackTheRestAtOnce() throws Exception {
		// The third replica's refresher is started by hand once everything is due, and is the only one running.
		int third = deployment.replicas().startOne(Map.of("broker.refresh.scheduler-enabled", "false"));
		schedulers(0, 1).forEach(RefreshScheduler::stop);
		try {
			deployment.server().accessTokenLifetime(Duration.ofSeconds(4));
			List<String> apps = connectMany("app-shutdown", 8);
			deployment.server().accessTokenLifetime(Duration.ofMinutes(5));
			// 4 s tokens are due 2 to 2.7 s after issue.
			Thread.sleep(3_000);
			int invalidBefore = monitor().invalidGrants();
			int requestsBefore = monitor().refreshRequests();
			monitor().refreshDelay(Duration.ofSeconds(6));
			RefreshScheduler scheduler = schedulers(third).get(0);
			scheduler.start();
			// Per-provider limit 4: four refreshes are running (6 s each), four claimed ones wait for a slot.
			awaitUntil(() -> scheduler.outstanding() == 8 && monitor().refreshRequests() - requestsBefore == 4,
					"8 claimed, 4 sent");

			deployment.replicas().stop(third);

			assertThat(leasesHeld("app-shutdown-%")).as("no lease left behind").isZero();
			assertThat(refreshed("app-shutdown-%")).as("the refreshes in flight were finished").isEqualTo(4);
			monitor().refreshDelay(Duration.ZERO);
			schedulers(0, 1).forEach(RefreshScheduler::start);
			awaitUntil(() -> refreshed("app-shutdown-%") == 8, "the other replicas refresh the rest");
			assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
			assertEachRefreshTokenUsedOnce();
		}
		finally {
			monitor().refreshDelay(Duration.ZERO);
			schedulers(0, 1).forEach(RefreshScheduler::start);
		}
	}

	private static List<String> connectMany(String prefix, int count) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<String>> connected = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				String app = prefix + "-" + i;
				BrokerClient broker = client(i % 2);
				connected.add(pool.submit(() -> {
					BrokerClient.Response callback = OAuthDance.connect(broker, ServiceTokens.forApp(app), TYPE);
					assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
					// A failed code exchange is a 200 page too ("Not connected").
					assertThat(callback.body()).as(callback.toString()).contains("Connected").doesNotContain("Not connected");
					grants.incrementAndGet();
					return app;
				}));
			}
			List<String> apps = new ArrayList<>();
			for (Future<String> app : connected) {
				apps.add(app.get());
			}
			return apps;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Map<String, String> currentTokens(List<String> apps) {
		Map<String, String> tokens = new LinkedHashMap<>();
		for (String app : apps) {
			BrokerClient.Response read = client(0)
				.get("/connectors/" + TYPE + "/connection", ServiceTokens.forApp(app));
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			tokens.put(app, read.json().get("accessToken").asString());
		}
		return tokens;
	}

	/** Whether every connection now serves another token than {@code first} (stops at the first that does not). */
	private static boolean allRenewed(List<String> apps, Map<String, String> first) {
		for (String app : apps) {
			BrokerClient.Response read = client(0)
				.get("/connectors/" + TYPE + "/connection", ServiceTokens.forApp(app));
			if (read.status() != 200 || read.json().get("accessToken").asString().equals(first.get(app))) {
				return false;
			}
		}
		return true;
	}

	private static void awaitAllRefreshed(List<String> apps, Map<String, String> first, Duration within)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(within);
		while (Instant.now().isBefore(deadline)) {
			Map<String, String> now = currentTokens(apps);
			if (apps.stream().noneMatch((app) -> now.get(app).equals(first.get(app)))) {
				return;
			}
			Thread.sleep(250);
		}
		throw new AssertionError("Not every connection was refreshed within " + within);
	}

	private static void awaitUntil(java.util.function.BooleanSupplier condition, String what)
			throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(30);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as(what).isBefore(deadline);
			Thread.sleep(50);
		}
	}

	private static long leasesHeld(String appPattern) {
		return db().sql("select count(*) from connection where app_id like ? and lease_owner is not null")
			.param(appPattern)
			.query(Long.class)
			.single();
	}

	private static long refreshed(String appPattern) {
		return db().sql("select count(*) from connection where app_id like ? and last_refreshed_at is not null")
			.param(appPattern)
			.query(Long.class)
			.single();
	}

	private static JdbcClient db() {
		return deployment.replicas().context(0).getBean(JdbcClient.class);
	}

	private static List<RefreshScheduler> schedulers(int... indexes) {
		List<RefreshScheduler> schedulers = new ArrayList<>();
		for (int index : indexes) {
			schedulers.add(deployment.replicas().context(index).getBean(RefreshScheduler.class));
		}
		return schedulers;
	}

	private static String status(String token, String type) {
		return client(0).get("/connectors/" + type, token).json().get("status").asString();
	}

	private static void assertEachRefreshTokenUsedOnce() {
		assertThat(monitor().refreshTokenUses()).allSatisfy((refreshToken, uses) -> assertThat(uses).isEqualTo(1));
	}

	/** Every grant still holds exactly one unused refresh token: none was lost to a refresh whose answer vanished. */
	private static void assertNothingLost() {
		assertThat(monitor().unusedRefreshTokens()).isEqualTo(grants.get());
	}

	private static double scheduledSuccesses(String prometheus) {
		return prometheus.lines()
			.filter((line) -> line.startsWith("broker_refresh_attempts_total{") && line.contains("outcome=\"success\"")
					&& line.contains("trigger=\"scheduled\"") && line.contains("provider=\"" + TYPE + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private static BrokerClient client(int replica) {
		return deployment.replicas().client(replica);
	}

	private static TokenEndpointMonitor monitor() {
		return deployment.server().tokenEndpoint();
	}

	/** Concurrent reads of random connections on random replicas; checks every answer with the server. */
	static final class Load {

		/** How long {@link #run(List, Duration, int, BooleanSupplier)} keeps reading once what it waited for holds. */
		private static final Duration AFTER_DONE = Duration.ofSeconds(2);

		final AtomicInteger reads = new AtomicInteger();

		final List<String> failures = new CopyOnWriteArrayList<>();

		private final Map<String, String> serviceTokens = new ConcurrentHashMap<>();

		/** Whether the readers may stop: the end, or what they waited for and a little more. */
		private volatile boolean over;

		/**
		 * Reads for {@code duration}, and on until {@code minReads} are done (a busy machine is slow), but for at most
		 * four times the duration.
		 */
		static Load run(List<String> apps, Duration duration, int minReads) throws Exception {
			return run(apps, duration, minReads, () -> false);
		}

		/**
		 * The same, but the reading ends 2 s after {@code done} holds if that comes first: a phase that waits for
		 * every connection to be renewed is over once they are, and reads a little longer for the renewed tokens.
		 */
		static Load run(List<String> apps, Duration duration, int minReads, BooleanSupplier done) throws Exception {
			Load load = new Load();
			Instant end = Instant.now().plus(duration);
			Instant cap = Instant.now().plus(duration.multipliedBy(4));
			ExecutorService pool = Executors.newFixedThreadPool(6);
			try {
				List<Future<?>> workers = new ArrayList<>();
				for (int i = 0; i < 6; i++) {
					workers.add(pool.submit(() -> load.readUntil(apps, cap, minReads)));
				}
				try {
					load.awaitEnd(end, done);
				}
				finally {
					load.over = true;
				}
				for (Future<?> worker : workers) {
					worker.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			return load;
		}

		private void awaitEnd(Instant end, BooleanSupplier done) throws InterruptedException {
			while (Instant.now().isBefore(end)) {
				if (done.getAsBoolean()) {
					Instant after = Instant.now().plus(AFTER_DONE);
					Instant until = after.isBefore(end) ? after : end;
					Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis()));
					return;
				}
				Thread.sleep(250);
			}
		}

		private void readUntil(List<String> apps, Instant cap, int minReads) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (!this.over || (this.reads.get() < minReads && Instant.now().isBefore(cap))) {
				String app = apps.get(random.nextInt(apps.size()));
				BrokerClient broker = client(random.nextInt(2));
				String token = this.serviceTokens.computeIfAbsent(app, ServiceTokens::forApp);
				BrokerClient.Response read = broker.get("/connectors/" + TYPE + "/connection", token);
				Instant at = Instant.now();
				this.reads.incrementAndGet();
				if (read.status() != 200) {
					this.failures.add(app + ": " + read);
				}
				else if (!deployment.server().accepts(read.json().get("accessToken").asString(), at)) {
					this.failures.add(app + ": token not accepted at " + at + ": " + read.json().get("expiresAt"));
				}
			}
		}

	}

}
