package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.junit.jupiter.api.Test;

class SpreadExpiryTests {

	private static final Duration TIME_TO_LIVE = Duration.ofSeconds(60);

	private final AtomicLong now = new AtomicLong();

	private final Cache<Integer, String> cache = Caffeine.newBuilder()
		.ticker(this.now::get)
		.executor(Runnable::run)
		.expireAfter(new SpreadExpiry<Integer, String>(TIME_TO_LIVE))
		.build();

	@Test
	void rowsWrittenTogetherExpireAtDifferentTimesWithinTheTimeToLive() {
		IntStream.range(0, 1000).forEach((i) -> this.cache.put(i, "row"));

		advance(TIME_TO_LIVE.dividedBy(2).minusMillis(1));
		assertThat(this.cache.asMap()).as("nothing expires before half the time to live").hasSize(1000);

		advance(TIME_TO_LIVE.dividedBy(4));
		assertThat(this.cache.asMap().size()).as("part expired at three quarters").isBetween(300, 700);

		advance(TIME_TO_LIVE.dividedBy(4).plusMillis(1));
		assertThat(this.cache.asMap()).as("everything expired after the whole time to live").isEmpty();
	}

	@Test
	void readingARowDoesNotExtendItsLife() {
		this.cache.put(1, "row");
		for (int i = 0; i < 10; i++) {
			advance(TIME_TO_LIVE.dividedBy(10));
			this.cache.getIfPresent(1);
		}
		advance(Duration.ofMillis(1));
		assertThat(this.cache.getIfPresent(1)).isNull();
	}

	@Test
	void aRewrittenRowStartsANewLife() {
		this.cache.put(1, "old");
		advance(TIME_TO_LIVE.minusSeconds(1));
		this.cache.put(1, "new");
		advance(TIME_TO_LIVE.dividedBy(2).minusMillis(1));
		assertThat(this.cache.getIfPresent(1)).isEqualTo("new");
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
		this.cache.cleanUp();
	}

}
