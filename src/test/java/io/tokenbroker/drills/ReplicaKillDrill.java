package io.tokenbroker.drills;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TestKeys;
import io.tokenbroker.support.TokenEndpointMonitor;

/**
 * The replica-kill drill, run by bench/drills/replica-kill.sh: three brokers (the packaged jar, production profile) on
 * one PostgreSQL database, connections at the strict authorization server (rotating refresh tokens, a reused one
 * revokes its grant, a superseded access token is revoked; short lifetimes, so refreshes run all the time), a steady
 * read load over the replicas, and one replica stopped every few seconds, by SIGTERM or SIGKILL, and started again.
 * Prints what was lost ({@link DrillOutcome}). Settings are {@code drill.*} system properties (see the script).
 */
public final class ReplicaKillDrill {

	static final String TYPE = "strictidp";

	private ReplicaKillDrill() {
	}

	public static void main(String[] args) throws Exception {
		boolean kill = "KILL".equals(System.getProperty("drill.signal", "KILL"));
		int connections = Integer.getInteger("drill.connections", 1000);
		Duration duration = Duration.ofSeconds(Integer.getInteger("drill.duration", 300));
		Duration killEvery = Duration.ofSeconds(Integer.getInteger("drill.kill-every", 20));
		Duration hold = Duration.ofMillis(Integer.getInteger("drill.hold-ms", 0));
		Duration lifetime = Duration.ofSeconds(Integer.getInteger("drill.lifetime", 120));
		Path out = Path.of(System.getProperty("drill.out", "."));
		DrillDatabase database = new DrillDatabase(System.getProperty("drill.database-url"),
				System.getProperty("drill.database-user", "postgres"));
		List<String> jvm = Arrays.asList(System.getProperty("drill.jvm-options", "-Xmx512m").trim().split("\\s+"));

		try (StrictAuthorizationServer server = StrictAuthorizationServer.start();
				DrillReplicas replicas = new DrillReplicas(System.getProperty("drill.jar"), jvm, 3,
						Integer.getInteger("drill.base-port", 19100), brokerSettings(server), out)) {
			Runtime.getRuntime().addShutdownHook(new Thread(replicas::close));
			server.accessTokenLifetime(lifetime);
			for (int i = 0; i < replicas.size(); i++) {
				replicas.start(i, Duration.ofMinutes(5));
			}
			log("3 replicas ready; connecting " + connections + " connections (access tokens live " + lifetime + ")");
			List<String> tokens = connect(replicas, connections);
			TokenEndpointMonitor monitor = server.tokenEndpoint();
			monitor.refreshDelay(hold);
			DrillReads reads = new DrillReads(replicas, tokens, server);
			reads.start(Integer.getInteger("drill.read-rate", 100));
			log("read load started; stopping a replica with SIG" + (kill ? "KILL" : "TERM") + " every " + killEvery
					+ " for " + duration + ", token answers held back " + hold.toMillis() + " ms");
			DrillKills kills = new DrillKills(replicas, database, monitor, kill);
			kills.run(duration, killEvery);
			settle(replicas, database, Duration.ofSeconds(Integer.getInteger("drill.settle", 180)));
			reads.stop();
			log("load stopped; checking every connection");
			DrillOutcome outcome = new DrillOutcome(replicas, database, server, tokens);
			List<String> lines = new ArrayList<>();
			lines.add("variant: SIG" + (kill ? "KILL" : "TERM") + ", token answers held back " + hold.toMillis()
					+ " ms; " + connections + " connections, access tokens live " + lifetime.toSeconds() + " s; "
					+ duration.toSeconds() + " s, a replica stopped every " + killEvery.toSeconds() + " s");
			lines.addAll(kills.report());
			lines.addAll(outcome.report(kills.stranded()));
			lines.addAll(reads.report());
			lines.forEach(System.out::println);
		}
	}

	private static Map<String, String> brokerSettings(StrictAuthorizationServer server) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.profiles.active", "prod");
		settings.put("spring.datasource.url", System.getProperty("drill.database-url"));
		settings.put("spring.datasource.username", System.getProperty("drill.database-user", "postgres"));
		settings.put("spring.datasource.hikari.maximum-pool-size", "8");
		settings.put("broker.crypto.keyset", TestKeys.KEYSET);
		settings.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		settings.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		settings.putAll(server.providerProperties(TYPE, StrictAuthorizationServer.CLIENT_ID));
		for (String extra : System.getProperty("drill.broker-args", "").trim().split("\\s+")) {
			if (extra.startsWith("--") && extra.contains("=")) {
				settings.put(extra.substring(2, extra.indexOf('=')), extra.substring(extra.indexOf('=') + 1));
			}
		}
		return settings;
	}

	/** One app per connection, connected through the real flow, spread over the replicas. Returns their tokens. */
	private static List<String> connect(DrillReplicas replicas, int count) throws Exception {
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			tokens.add(ServiceTokens.sign(ServiceTokens.SECRET,
					Map.of("app_id", app(i), "scope", ServiceTokens.READ + " " + ServiceTokens.ADMIN),
					Duration.ofHours(6)));
		}
		ExecutorService pool = Executors.newFixedThreadPool(6);
		AtomicInteger done = new AtomicInteger();
		try {
			List<Future<?>> connected = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				BrokerClient broker = new BrokerClient(replicas.url(i % replicas.size()));
				String token = tokens.get(i);
				connected.add(pool.submit(() -> {
					BrokerClient.Response callback = OAuthDance.connect(broker, token, TYPE);
					if (callback.status() != 200) {
						throw new IllegalStateException("Connecting failed: " + callback);
					}
					if (done.incrementAndGet() % 200 == 0) {
						log(done.get() + " connected");
					}
				}));
			}
			for (Future<?> future : connected) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		return tokens;
	}

	static String app(int connection) {
		return "app-drill-" + connection;
	}

	/** Waits until every replica is up and no refresh is left marked in flight by a dead replica. */
	private static void settle(DrillReplicas replicas, DrillDatabase database, Duration atMost) throws Exception {
		Instant deadline = Instant.now().plus(atMost);
		while (Instant.now().isBefore(deadline)
				&& (replicas.upReplicas().size() < replicas.size() || database.stranded(10) > 0)) {
			Thread.sleep(1000);
		}
		log("settled: " + replicas.upReplicas().size() + " replicas up, " + database.stranded(10)
				+ " connections still marked in flight for over 10 s");
	}

	static void log(String message) {
		System.err.println("[" + Instant.now() + "] " + message);
	}

}
