package io.tokenbroker.refresh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.connection.ScheduledRefreshes;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.connection.RefreshBenchSeeder;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Refresher throughput benchmark (run by bench/refresh/run.sh, not part of the test suite): N due connections, R
 * replicas on one PostgreSQL, a stub token endpoint answering after 50 ms. Each run makes every connection due, starts
 * all replicas' background refreshers at once, and measures the time until every connection is refreshed, the
 * refreshes per replica, the refusals at the stub (double refreshes), and the CPU time the brokers and PostgreSQL
 * used meanwhile ({@link CpuMeter}). A warm-up run on part of the connections comes first and is not reported.
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
			settings.put("broker.refresh.batch-size", System.getProperty("bench.batch-size", "100"));
			settings.put("broker.refresh.scheduler-interval", "1s");
			settings.put("spring.datasource.hikari.maximum-pool-size", System.getProperty("bench.pool", "16"));
			settings.put("spring.datasource.hikari.minimum-idle", "4");
			settings.put("logging.level.root", "WARN");
			// Spring's switch (JDK 21 and later): the replicas' requests, refreshes and webhooks on virtual threads.
			boolean virtualThreads = "1".equals(System.getProperty("bench.virtual-threads", "0"));
			settings.put("spring.threads.virtual.enabled", Boolean.toString(virtualThreads));
			String url;
			try (BrokerReplicas replicas = BrokerReplicas.start(replicaCount, settings)) {
				url = replicas.databaseUrl();
				CpuMeter cpu = new CpuMeter(url.substring(url.lastIndexOf('/') + 1), "stub-");
				long seedStart = System.nanoTime();
				seed(replicas.context(0), stub, connections);
				System.out.printf("seeded %d connections in %.1f s%n", connections, seconds(seedStart));
				// Warm-up: the JIT compiles the refresh path while refreshing the first connections; not reported.
				int warmup = Math.min(connections, Integer.getInteger("bench.warmup", 10_000));
				if (warmup > 0) {
					double[] w = run(replicas, stub, cpu, warmup, 0);
					System.out.printf("warm-up: %d refreshes in %.1f s, %.0f refused%n", warmup, w[0], w[2]);
				}
				List<double[]> results = new ArrayList<>();
				for (int run = 1; run <= runs; run++) {
					results.add(run(replicas, stub, cpu, connections, run));
				}
				String threads = !virtualThreads ? "platform"
						: (Runtime.version().feature() >= 21) ? "virtual" : "platform (virtual asked, JDK 17)";
				summarize(results, replicaCount, connections, latencyMillis, concurrency, threads);
			}
			// A million rows are not left behind on a shared server.
			String name = url.substring(url.lastIndexOf('/') + 1);
			TestDatabase.execute(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
					"drop database " + name + " with (force)");
		}
		System.exit(0);
	}

	/**
	 * One run, making {@code connections} due (run 0: the warm-up, printed by the caller only); returns {drain seconds, refreshes/s per replica (mean), refusals, refreshes at the stub, broker CPU
	 * seconds, database sessions' CPU seconds, all of PostgreSQL's CPU seconds}.
	 */
	private static double[] run(BrokerReplicas replicas, StubTokenEndpoint stub, CpuMeter cpu, int connections,
			int run) throws Exception {
		JdbcClient db = replicas.context(0).getBean(JdbcClient.class);
		db.sql("update connection set refresh_due_at = ? where id in "
				+ "(select id from connection where app_id = 'bench' fetch first ? rows only)")
			.params(OffsetDateTime.now().minusSeconds(1), connections)
			.update();
		// What the update left behind would otherwise be cleaned up by autovacuum during the run, or not.
		db.sql("vacuum analyze connection").update();
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
		String loadBefore = loadAverage();
		CpuMeter.Reading cpuBefore = cpu.read();
		Profiler profiler = Profiler.startIf(run == 1);
		long start = System.nanoTime();
		schedulers.forEach(RefreshScheduler::start);
		ScheduledRefreshes claims = replicas.context(0).getBean(ScheduledRefreshes.class);
		long nextProgress = start + 60_000_000_000L;
		// The backlog query counts every due row: asked only once the stub has seen every refresh.
		while (stub.refreshes() - refreshesBefore < connections || claims.backlog().due() > 0) {
			Thread.sleep(100);
			if (System.nanoTime() > nextProgress) {
				nextProgress += 60_000_000_000L;
				System.out.printf("progress run %d: %d refreshes in %.0f s, load average %s%n", run,
						stub.refreshes() - refreshesBefore, seconds(start), loadAverage());
			}
		}
		double drain = seconds(start);
		profiler.stop();
		double[] used = cpu.read().since(cpuBefore);
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
		double broker = used[0];
		double stubCpu = used[1];
		double database = used[2];
		double postgres = used[3];
		if (run == 0) {
			return new double[] { drain, 0, refused };
		}
		System.out.printf("run %d: drained %d in %.1f s, %d refreshes at the stub, %d refused;%s%n", run, connections,
				drain, refreshed, refused, perReplica);
		System.out.printf("cpu run %d: brokers %.1f s (%.2f cores, %.3f ms/refresh), database sessions %.1f s "
				+ "(%.2f cores, %.3f ms/refresh), all of PostgreSQL %.1f s (%.2f cores), stub %.1f s; load average %s "
				+ "-> %s%n", run, broker, broker / drain, broker * 1000 / refreshed, database, database / drain,
				database * 1000 / refreshed, postgres, postgres / drain, stubCpu, loadBefore, loadAverage());
		return new double[] { drain, rateSum / replicas.size(), refused, refreshed, broker, database, postgres };
	}

	private static void summarize(List<double[]> results, int replicas, int connections, int latency,
			String concurrency, String threads) {
		double drain = median(results, 0);
		double rate = median(results, 1);
		double refused = results.stream().mapToDouble((r) -> r[2]).sum();
		boolean exact = results.stream().allMatch((r) -> r[3] == connections);
		System.out.printf("SUMMARY replicas=%d connections=%d latency=%dms max-concurrent=%s threads=%s runs=%d: "
				+ "median drain %.1f s, median %.0f refreshes/s per replica, refused (double refreshes) %.0f, exactly "
				+ "one refresh per connection per run: %s; median CPU per refresh: brokers %.3f ms, database sessions "
				+ "%.3f ms, all of PostgreSQL %.3f ms%n", replicas, connections, latency, concurrency, threads,
				results.size(), drain, rate, refused, exact, median(results, 4) * 1000 / connections,
				median(results, 5) * 1000 / connections, median(results, 6) * 1000 / connections);
	}

	/** Creates the connections the way the broker stores them, with refresh tokens the stub knows. */
	private static void seed(ConfigurableApplicationContext context, StubTokenEndpoint stub, int count)
			throws Exception {
		Connector connector = context.getBean(ConnectorService.class).save("bench", TYPE, null, null);
		RefreshBenchSeeder.seed(context, connector, count, (i) -> {
			String refreshToken = "rt-seed-" + i;
			stub.issued(refreshToken);
			return refreshToken;
		});
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

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static double median(List<double[]> results, int field) {
		double[] sorted = results.stream().mapToDouble((r) -> r[field]).sorted().toArray();
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

}
