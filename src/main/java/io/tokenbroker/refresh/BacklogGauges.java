package io.tokenbroker.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.connection.RefreshBacklog;
import io.tokenbroker.connection.ScheduledRefreshes;

import org.springframework.stereotype.Component;

/**
 * The due backlog as gauges: how many active connections are due for refresh, and how long the oldest of them has
 * been overdue. Both count every replica's connections (they share the database); one query serves a scrape, and its
 * answer is reused for a second so that frequent scrapes do not load the database.
 */
@Component
class BacklogGauges {

	private static final Duration MAX_AGE = Duration.ofSeconds(1);

	private final ScheduledRefreshes work;

	private final Clock clock;

	/** A lock rather than a monitor: the query runs under it, and a virtual thread would pin its carrier on 21–23. */
	private final ReentrantLock querying = new ReentrantLock();

	private RefreshBacklog last;

	private Instant lastAt;

	BacklogGauges(ScheduledRefreshes work, Clock clock, MeterRegistry metrics) {
		this.work = work;
		this.clock = clock;
		Gauge.builder("broker.refresh.backlog", this, BacklogGauges::due)
			.description("Active connections due for refresh, across all replicas")
			.register(metrics);
		Gauge.builder("broker.refresh.oldest.overdue", this, BacklogGauges::oldestOverdueSeconds)
			.description("How long the connection that has been due the longest has waited for its refresh")
			.baseUnit("seconds")
			.register(metrics);
	}

	private double due() {
		RefreshBacklog backlog = current();
		return (backlog != null) ? backlog.due() : Double.NaN;
	}

	private double oldestOverdueSeconds() {
		RefreshBacklog backlog = current();
		if (backlog == null) {
			return Double.NaN;
		}
		if (backlog.oldestDue() == null) {
			return 0;
		}
		return Math.max(0, Duration.between(backlog.oldestDue(), Instant.now(this.clock)).toMillis() / 1000.0);
	}

	private RefreshBacklog current() {
		this.querying.lock();
		try {
			Instant now = Instant.now(this.clock);
			if (this.last == null || this.lastAt.plus(MAX_AGE).isBefore(now)) {
				try {
					this.last = this.work.backlog();
					this.lastAt = now;
				}
				catch (RuntimeException ex) {
					return null;
				}
			}
			return this.last;
		}
		finally {
			this.querying.unlock();
		}
	}

}
