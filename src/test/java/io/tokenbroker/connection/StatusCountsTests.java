package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.MutableClock;

/** The connection-status gauges count in the database at most once per interval, whatever the scrape rate. */
class StatusCountsTests {

	private static final Duration INTERVAL = Duration.ofSeconds(30);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger queries = new AtomicInteger();

	private final List<Runnable> background = new ArrayList<>();

	private volatile Map<ConnectionStatus, Long> table = Map.of(ConnectionStatus.ACTIVE, 3L);

	private final StatusCounts counts = new StatusCounts(() -> {
		this.queries.incrementAndGet();
		return this.table;
	}, INTERVAL, this.clock, this.background::add);

	@Test
	void firstReadCountsAndEveryStatusReadsTheSameCount() {
		assertThat(this.counts.get(ConnectionStatus.ACTIVE)).isEqualTo(3.0);
		assertThat(this.counts.get(ConnectionStatus.PENDING)).isZero();
		assertThat(this.counts.get(ConnectionStatus.EXPIRED)).isZero();
		assertThat(this.queries).hasValue(1);
	}

	@Test
	void readsWithinTheIntervalDoNotQueryAgain() {
		this.counts.get(ConnectionStatus.ACTIVE);
		for (int scrape = 0; scrape < 10; scrape++) {
			this.clock.advance(Duration.ofSeconds(2));
			this.counts.get(ConnectionStatus.ACTIVE);
		}
		assertThat(this.queries).hasValue(1);
		assertThat(this.background).isEmpty();
	}

	@Test
	void aReadAfterTheIntervalAnswersAtOnceAndRecountsInTheBackground() {
		this.counts.get(ConnectionStatus.ACTIVE);
		this.table = Map.of(ConnectionStatus.ACTIVE, 5L);
		this.clock.advance(INTERVAL);

		assertThat(this.counts.get(ConnectionStatus.ACTIVE)).isEqualTo(3.0);
		assertThat(this.background).hasSize(1);
		this.background.remove(0).run();

		assertThat(this.counts.get(ConnectionStatus.ACTIVE)).isEqualTo(5.0);
		assertThat(this.queries).hasValue(2);
	}

	@Test
	void everyGaugeOfAStaleScrapeStartsNoMoreThanOneRecount() {
		this.counts.get(ConnectionStatus.ACTIVE);
		this.clock.advance(INTERVAL);
		for (ConnectionStatus status : ConnectionStatus.values()) {
			this.counts.get(status);
		}
		assertThat(this.background).hasSize(1);
		this.background.remove(0).run();
		for (ConnectionStatus status : ConnectionStatus.values()) {
			this.counts.get(status);
		}
		assertThat(this.background).isEmpty();
		assertThat(this.queries).hasValue(2);
	}

	@Test
	void aFailedRecountKeepsTheLastNumbersUntilTheNextInterval() {
		this.counts.get(ConnectionStatus.ACTIVE);
		this.table = null; // the query now fails
		this.clock.advance(INTERVAL);
		this.counts.get(ConnectionStatus.ACTIVE);
		this.background.remove(0).run();

		assertThat(this.counts.get(ConnectionStatus.ACTIVE)).isEqualTo(3.0);
		assertThat(this.background).isEmpty();
	}

	@Test
	void nothingCountedYetIsNotANumber() {
		this.table = null;
		assertThat(this.counts.get(ConnectionStatus.ACTIVE)).isNaN();
	}

}
