package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;
import io.tokenbroker.support.WebhookReceiver;
import io.tokenbroker.support.WebhookReceiver.Received;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Webhook delivery on one replica with PostgreSQL, to a receiver that takes {@code bench.receiver-ms} (20 ms) per
 * answer: (1) commit-to-delivery latency with no backlog, events committed through the API at {@code bench.rate} per
 * second for {@code bench.seconds}; (2) a backlog of {@code bench.backlog} events about {@code bench.connections}
 * connections (each connection's in order) committed at once, drained: the
 * delivery rate, and the database's work meanwhile (pg_stat_database). Token reads are not involved: they never write
 * an event. Not part of the test suite (the name matches no Surefire include); run it with bench/webhooks.sh. Results
 * go to target/bench/webhooks.md.
 */
class WebhookBenchmark {

	private static final int RATE = Integer.getInteger("bench.rate", 50);

	private static final int SECONDS = Integer.getInteger("bench.seconds", 20);

	private static final int BACKLOG = Integer.getInteger("bench.backlog", 100_000);

	private static final int RECEIVER_MS = Integer.getInteger("bench.receiver-ms", 20);

	private static final String CONCURRENCY = System.getProperty("bench.concurrency", "32");

	private static final String APP = "bench-app";

	/** The backlog's events are about this many connections, each connection's delivered in order. */
	private static final int CONNECTIONS = Integer.getInteger("bench.connections", 1_000);

	@Test
	void deliveryLatencyAndBacklogDrain() throws Exception {
		String database = TestDatabase.newDatabase("webhookbench");
		List<String> report = new ArrayList<>();
		try (WebhookReceiver receiver = WebhookReceiver.start();
				BrokerInstance broker = BrokerInstance.start(database,
						Map.of("broker.webhooks.allowed-private-hosts", "127.0.0.1", "broker.webhooks.concurrency",
								CONCURRENCY, "spring.datasource.hikari.maximum-pool-size", "10"))) {
			receiver.delay(Duration.ofMillis(RECEIVER_MS));
			BrokerClient client = broker.client();
			String admin = ServiceTokens.forApp(APP);
			BrokerClient.Response created = client.post("/webhooks/endpoints", admin,
					"{\"url\": \"" + receiver.url("bench") + "\"}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String endpoint = created.json().at("/endpoint/id").asString();

			report.add("# Webhook delivery, one replica, receiver answering in " + RECEIVER_MS + " ms, concurrency "
					+ CONCURRENCY + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, load average "
					+ loadAverage());
			report.addAll(latency(client, admin, endpoint, receiver));
			report.addAll(backlog(broker.context().getBean(JdbcTemplate.class), endpoint, receiver));
		}
		Path out = Path.of("target", "bench", "webhooks.md");
		Files.createDirectories(out.getParent());
		Files.write(out, report);
	}

	/** Events committed one by one through the API at a steady rate; latency from the event's time to arrival. */
	private static List<String> latency(BrokerClient client, String admin, String endpoint, WebhookReceiver receiver)
			throws InterruptedException {
		int events = RATE * SECONDS;
		long intervalNanos = 1_000_000_000L / RATE;
		long start = System.nanoTime();
		for (int i = 0; i < events; i++) {
			long due = start + i * intervalNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			assertThat(client.post("/webhooks/endpoints/" + endpoint + "/test", admin, null).status()).isEqualTo(202);
		}
		awaitCount(receiver, events, Duration.ofMinutes(2));
		List<Long> lags = new ArrayList<>();
		for (Received r : receiver.received("bench")) {
			lags.add(Duration.between(Instant.parse(r.json().get("timestamp").asString()), r.at()).toMillis());
		}
		lags.sort(null);
		return List.of("", "## Commit to delivery, no backlog (" + events + " events at " + RATE + "/s)", "",
				"| p50 | p90 | p99 | max |", "|---|---|---|---|",
				"| " + pct(lags, 0.50) + " ms | " + pct(lags, 0.90) + " ms | " + pct(lags, 0.99) + " ms | "
						+ lags.get(lags.size() - 1) + " ms |");
	}

	/** A backlog written in one transaction, then drained; the database's counters over the drain. */
	private static List<String> backlog(JdbcTemplate jdbc, String endpoint, WebhookReceiver receiver) {
		int before = receiver.count("bench");
		Map<String, Object> statsBefore = databaseStats(jdbc);
		long start = System.nanoTime();
		jdbc.update("""
				insert into webhook_event (id, app_id, type, data, created_at)
				select 'msg_bench_' || i, ?, 'webhook.test', '{"app_id":"bench-app"}', current_timestamp
				from generate_series(1, ?) i
				""", APP, BACKLOG);
		jdbc.update("""
				insert into webhook_delivery (event_id, endpoint_id, app_id, ordering_key, status, attempts,
				                              next_attempt_at, created_at)
				select 'msg_bench_' || i, ?, ?, 'conn_bench_' || (i % ?), 'PENDING', 0, current_timestamp,
				       current_timestamp
				from generate_series(1, ?) i
				""", endpoint, APP, CONNECTIONS, BACKLOG);
		// A backlog that builds up while an endpoint is down is analyzed by autovacuum as it grows; one written in a
		// single statement is not yet, and the broker would plan its claims for the empty queue it saw before.
		jdbc.execute("analyze webhook_event, webhook_delivery");
		long written = System.nanoTime();
		awaitCount(receiver, before + BACKLOG, Duration.ofMinutes(30));
		double seconds = (System.nanoTime() - written) / 1e9;
		Map<String, Object> statsAfter = databaseStats(jdbc);
		List<Received> drained = receiver.received("bench").stream().filter((r) -> r.id().startsWith("msg_bench_"))
			.toList();
		Set<String> ids = new HashSet<>();
		drained.forEach((r) -> ids.add(r.id()));
		assertThat(ids).hasSize(BACKLOG);
		List<String> lines = new ArrayList<>(List.of("", "## Backlog of " + BACKLOG + " events about " + CONNECTIONS
				+ " connections",
				"", "| written in | drained in | deliveries/s | duplicates |", "|---|---|---|---|",
				String.format("| %.1f s | %.1f s | %.0f | %d |", (written - start) / 1e9, seconds, BACKLOG / seconds,
						drained.size() - ids.size()),
				"", "Database during the drain (pg_stat_database, per second):", "",
				"| counter | per second |", "|---|---|"));
		for (String counter : statsBefore.keySet()) {
			long delta = ((Number) statsAfter.get(counter)).longValue() - ((Number) statsBefore.get(counter)).longValue();
			lines.add(String.format("| %s | %.0f |", counter, delta / seconds));
		}
		return lines;
	}

	private static Map<String, Object> databaseStats(JdbcTemplate jdbc) {
		return jdbc.queryForMap("""
				select xact_commit, tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_read, blks_hit
				from pg_stat_database where datname = current_database()
				""");
	}

	private static void awaitCount(WebhookReceiver receiver, int count, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (receiver.count("bench") < count) {
			assertThat(Instant.now()).as("%d deliveries within %s", count, timeout).isBefore(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static long pct(List<Long> sorted, double p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

}
