package io.tokenbroker.drills;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tokenbroker.support.TokenEndpointMonitor;

/**
 * The drill's chaos: every few seconds the next replica that is up (round robin, as long as another one is up) is
 * stopped, by SIGTERM or SIGKILL, and started again at once. Five seconds after each stop, the connections still
 * marked as having their refresh token sent before the stop are taken as stranded by it: their refresher is gone
 * (a live replica's refresh call takes well under five seconds here).
 */
final class DrillKills {

	private static final Duration STRANDED_AFTER = Duration.ofSeconds(5);

	private final DrillReplicas replicas;

	private final DrillDatabase database;

	private final TokenEndpointMonitor monitor;

	private final boolean kill;

	private final Set<String> stranded = Collections.synchronizedSet(new LinkedHashSet<>());

	private final List<Long> stopMillis = new ArrayList<>();

	private final List<Long> restartMillis = Collections.synchronizedList(new ArrayList<>());

	private int stops;

	private int skipped;

	private int inFlightAtStops;

	DrillKills(DrillReplicas replicas, DrillDatabase database, TokenEndpointMonitor monitor, boolean kill) {
		this.replicas = replicas;
		this.database = database;
		this.monitor = monitor;
		this.kill = kill;
	}

	void run(Duration duration, Duration every) throws Exception {
		ExecutorService restarts = Executors.newCachedThreadPool();
		ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
		Instant start = Instant.now();
		int victim = -1;
		for (int tick = 1; !start.plus(every.multipliedBy(tick)).isAfter(start.plus(duration)); tick++) {
			sleepUntil(start.plus(every.multipliedBy(tick)));
			List<Integer> up = this.replicas.upReplicas();
			if (up.size() < 2) {
				this.skipped++;
				continue;
			}
			int last = victim;
			victim = up.stream().filter((r) -> r > last).findFirst().orElse(up.get(0));
			int stopped = victim;
			this.inFlightAtStops += this.monitor.refreshesInProgress();
			Instant stoppedAt = Instant.now();
			this.replicas.stop(stopped, this.kill);
			this.stopMillis.add(Duration.between(stoppedAt, Instant.now()).toMillis());
			this.stops++;
			ReplicaKillDrill.log("replica " + stopped + " stopped (" + (this.kill ? "SIGKILL" : "SIGTERM") + ") in "
					+ Duration.between(stoppedAt, Instant.now()).toMillis() + " ms");
			checks.schedule(() -> strandedBy(stoppedAt), STRANDED_AFTER.toMillis(), TimeUnit.MILLISECONDS);
			restarts.submit(() -> {
				Instant restarting = Instant.now();
				try {
					this.replicas.start(stopped, Duration.ofMinutes(10));
					this.restartMillis.add(Duration.between(restarting, Instant.now()).toMillis());
				}
				catch (Exception ex) {
					ReplicaKillDrill.log("replica " + stopped + " did not start again: " + ex);
				}
			});
		}
		checks.shutdown();
		checks.awaitTermination(1, TimeUnit.MINUTES);
		restarts.shutdown();
		restarts.awaitTermination(10, TimeUnit.MINUTES);
	}

	private void strandedBy(Instant stoppedAt) {
		try {
			this.stranded.addAll(this.database.inFlightSince(stoppedAt));
		}
		catch (SQLException ex) {
			ReplicaKillDrill.log("could not count stranded refreshes: " + ex);
		}
	}

	/** Apps whose connection's refresh was in flight on a replica when it was stopped. */
	Set<String> stranded() {
		return this.stranded;
	}

	List<String> report() {
		List<String> lines = new ArrayList<>();
		lines.add("replicas stopped: " + this.stops + " (" + this.skipped + " times skipped: fewer than 2 replicas up)");
		lines.add("time to stop: " + summary(this.stopMillis) + " ms; time to ready after restart: "
				+ summary(this.restartMillis) + " ms");
		lines.add("refresh requests in flight at the server at the stops (all replicas): " + this.inFlightAtStops);
		lines.add("connections stranded by the stops (refresh token sent, answer not stored, replica gone): "
				+ this.stranded.size());
		return lines;
	}

	private static String summary(List<Long> millis) {
		List<Long> sorted;
		synchronized (millis) {
			sorted = new ArrayList<>(millis);
		}
		if (sorted.isEmpty()) {
			return "-";
		}
		Collections.sort(sorted);
		return "median " + sorted.get(sorted.size() / 2) + ", max " + sorted.get(sorted.size() - 1);
	}

	private static void sleepUntil(Instant when) throws InterruptedException {
		long millis = Duration.between(Instant.now(), when).toMillis();
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

}
