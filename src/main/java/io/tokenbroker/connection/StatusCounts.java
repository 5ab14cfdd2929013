package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How many connections are in each status, counted at most once per interval however often it is read. Only the very
 * first read waits for the count; later reads answer from the last count and, once it is older than the interval,
 * start one recount in the background, so a metrics scrape never waits for the database. A failed count keeps the
 * previous numbers and is retried after the interval.
 */
final class StatusCounts {

	private final Supplier<Map<ConnectionStatus, Long>> counter;

	private final Duration interval;

	private final Clock clock;

	private final Executor executor;

	private final AtomicBoolean counting = new AtomicBoolean();

	private volatile Snapshot snapshot;

	StatusCounts(Supplier<Map<ConnectionStatus, Long>> counter, Duration interval, Clock clock, Executor executor) {
		this.counter = counter;
		this.interval = interval;
		this.clock = clock;
		this.executor = executor;
	}

	/** The last count for {@code status}: 0 when no connection has it, NaN while nothing could be counted yet. */
	double get(ConnectionStatus status) {
		Snapshot current = this.snapshot;
		if (current == null) {
			if (claim()) {
				count();
			}
			current = this.snapshot;
		}
		else if (!Instant.now(this.clock).isBefore(current.takenAt().plus(this.interval)) && claim()) {
			try {
				this.executor.execute(this::count);
			}
			catch (RejectedExecutionException ex) {
				this.counting.set(false); // shutting down
			}
		}
		if (current == null || current.counts() == null) {
			return Double.NaN;
		}
		return current.counts().getOrDefault(status, 0L);
	}

	/** One count at a time: every gauge of a scrape reads, but only the first stale read may start a count. */
	private boolean claim() {
		return this.counting.compareAndSet(false, true);
	}

	private void count() {
		try {
			Map<ConnectionStatus, Long> counts = new EnumMap<>(ConnectionStatus.class);
			counts.putAll(this.counter.get());
			this.snapshot = new Snapshot(counts, Instant.now(this.clock));
		}
		catch (RuntimeException ex) {
			Snapshot previous = this.snapshot;
			this.snapshot = new Snapshot((previous != null) ? previous.counts() : null, Instant.now(this.clock));
		}
		finally {
			this.counting.set(false);
		}
	}

	private record Snapshot(Map<ConnectionStatus, Long> counts, Instant takenAt) {
	}

}
