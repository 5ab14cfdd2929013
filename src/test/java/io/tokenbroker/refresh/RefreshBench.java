package io.tokenbroker.refresh;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ScheduledRefreshes;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.oauth.TokenResult;
import io.tokenbroker.support.BrokerReplicas;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Refresher throughput benchmark (run by bench/refresh/run.sh, not part of the test suite): N due connections, R
 * replicas on one PostgreSQL, a stub token endpoint answering after 50 ms. Each run makes every connection due, starts
 * all replicas' background refreshers at once, and measures the time until every connection is refreshed, the
 * refreshes per replica, and the refusals at the stub (double refreshes).
 */
public final class RefreshBench {

	private static final String TYPE = "benchstub";

	private RefreshBench() {
	}

	public static void main(String[] args) throws Exception {
		int connections = Integer.getInteger("bench.connections", 100_000);
		int replicaCount = Integer.getInteger("bench.replicas", 2);
		int runs = Integer.getInteger("bench.runs", 3);
		int latencyMillis = Integer.getInteger("bench.latency-ms", 50);
		String concurrency = System.getProperty("bench.max-concurrent", "64");
		try (StubTokenEndpoint stub = StubTokenEndpoint.start(Duration.ofMillis(latencyMillis))) {
			Map<String, String> settings = new LinkedHashMap<>();
			String p = "broker.providers." + TYPE + ".";
			settings.put(p + "display-name", "Benchmark stub");
			settings.put(p + "authorization-url", stub.tokenUrl().replace("/token", "/authorize"));
			settings.put(p + "token-url", stub.tokenUrl());
			settings.put(p + "scopes", "read");
			settings.put(p + "client-id", "bench-client");
			settings.put(p + "client-secret", "bench-client-secret");
			settings.put("broker.refresh.scheduler-enabled", "false");
			settings.put("broker.refresh.max-concurrent", concurrency);
			settings.put("broker.refresh.max-concurrent-per-provider", concurrency);
			settings.put("broker.refresh.batch-size", "100");
			settings.put("broker.refresh.scheduler-interval", "1s");
			settings.put("spring.datasource.hikari.maximum-pool-size", System.getProperty("bench.pool", "16"));
			settings.put("spring.datasource.hikari.minimum-idle", "4");
			settings.put("logging.level.root", "WARN");
			try (BrokerReplicas replicas = BrokerReplicas.start(replicaCount, settings)) {
				long seedStart = System.nanoTime();
				seed(replicas.context(0), stub, connections);
				System.out.printf("seeded %d connections in %.1f s%n", connections, seconds(seedStart));
				List<double[]> results = new ArrayList<>();
				for (int run = 1; run <= runs; run++) {
					results.add(run(replicas, stub, connections, run));
				}
				summarize(results, replicaCount, connections, latencyMillis, concurrency);
			}
		}
		System.exit(0);
	}

	/** One run; returns {drain seconds, refreshes/s per replica (mean), refusals}. */
	private static double[] run(BrokerReplicas replicas, StubTokenEndpoint stub, int connections, int run)
			throws InterruptedException {
		JdbcClient db = replicas.context(0).getBean(JdbcClient.class);
		db.sql("update connection set refresh_due_at = ? where app_id = 'bench'")
			.param(OffsetDateTime.now().minusSeconds(1))
			.update();
		long refreshesBefore = stub.refreshes();
		long refusedBefore = stub.refused();
		double[] successesBefore = new double[replicas.size()];
		for (int i = 0; i < replicas.size(); i++) {
			successesBefore[i] = successes(replicas.context(i));
		}
		List<RefreshScheduler> schedulers = new ArrayList<>();
		for (int i = 0; i < replicas.size(); i++) {
			schedulers.add(replicas.context(i).getBean(RefreshScheduler.class));
		}
		long start = System.nanoTime();
		schedulers.forEach(RefreshScheduler::start);
		ScheduledRefreshes claims = replicas.context(0).getBean(ScheduledRefreshes.class);
		while (stub.refreshes() - refreshesBefore < connections || claims.backlog().due() > 0) {
			Thread.sleep(100);
		}
		double drain = seconds(start);
		schedulers.forEach(RefreshScheduler::stop);
		StringBuilder perReplica = new StringBuilder();
		double rateSum = 0;
		for (int i = 0; i < replicas.size(); i++) {
			double done = successes(replicas.context(i)) - successesBefore[i];
			rateSum += done / drain;
			perReplica.append(String.format(" replica%d=%.0f (%.0f/s)", i + 1, done, done / drain));
		}
		long refused = stub.refused() - refusedBefore;
		long refreshed = stub.refreshes() - refreshesBefore;
		System.out.printf("run %d: drained %d in %.1f s, %d refreshes at the stub, %d refused;%s%n", run, connections,
				drain, refreshed, refused, perReplica);
		return new double[] { drain, rateSum / replicas.size(), refused, refreshed };
	}

	private static void summarize(List<double[]> results, int replicas, int connections, int latency,
			String concurrency) {
		double drain = median(results.stream().mapToDouble((r) -> r[0]).toArray());
		double rate = median(results.stream().mapToDouble((r) -> r[1]).toArray());
		double refused = results.stream().mapToDouble((r) -> r[2]).sum();
		boolean exact = results.stream().allMatch((r) -> r[3] == connections);
		System.out.printf("SUMMARY replicas=%d connections=%d latency=%dms max-concurrent=%s runs=%d: median drain "
				+ "%.1f s, median %.0f refreshes/s per replica, refused (double refreshes) %.0f, exactly one refresh "
				+ "per connection per run: %s%n", replicas, connections, latency, concurrency, results.size(), drain,
				rate, refused, exact);
	}

	/** Creates the connections through the broker's services, with tokens the stub knows. */
	private static void seed(ConfigurableApplicationContext context, StubTokenEndpoint stub, int count)
			throws Exception {
		Connector connector = context.getBean(ConnectorService.class).save("bench", TYPE, null, null);
		ConnectionService service = context.getBean(ConnectionService.class);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		AtomicInteger next = new AtomicInteger();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < 8; w++) {
			workers.add(pool.submit(() -> {
				for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
					String refreshToken = "rt-seed-" + i;
					stub.issued(refreshToken);
					String id = service.prepare(connector, "user-" + i);
					service.complete(id, new TokenResult("at-seed-" + i, refreshToken, Instant.now().plusSeconds(1),
							null, null, null, Map.of()), List.of("read"), null);
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
	}

	private static double successes(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class)
			.find("broker.refresh.attempts")
			.tags("outcome", "success", "trigger", "scheduled")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		java.util.Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

}
