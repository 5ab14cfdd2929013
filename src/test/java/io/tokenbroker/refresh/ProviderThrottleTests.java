package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.MutableClock;

/** Per-provider limits of the background refresher. */
class ProviderThrottleTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

	private final ProviderThrottle throttle = new ProviderThrottle(2, this.clock);

	@Test
	void admitsAtMostTheLimitOfConcurrentCallsPerProvider() {
		assertThat(this.throttle.tryAcquire("google")).isTrue();
		assertThat(this.throttle.tryAcquire("google")).isTrue();
		assertThat(this.throttle.tryAcquire("google")).isFalse();
		this.throttle.release("google");
		assertThat(this.throttle.tryAcquire("google")).isTrue();
	}

	@Test
	void providersHaveSeparateLimits() {
		this.throttle.tryAcquire("google");
		this.throttle.tryAcquire("google");
		assertThat(this.throttle.tryAcquire("slack")).isTrue();
		assertThat(this.throttle.running("google")).isEqualTo(2);
		assertThat(this.throttle.running("slack")).isEqualTo(1);
	}

	@Test
	void pausedProviderAdmitsNothingUntilThePauseEnds() {
		this.throttle.pause("google", Duration.ofSeconds(30));
		assertThat(this.throttle.tryAcquire("google")).isFalse();
		assertThat(this.throttle.paused()).containsExactly("google");
		assertThat(this.throttle.tryAcquire("slack")).isTrue();
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.throttle.paused()).isEmpty();
		assertThat(this.throttle.tryAcquire("google")).isTrue();
	}

	@Test
	void aShorterPauseNeverShortensALongerOne() {
		Instant until = this.throttle.pause("google", Duration.ofMinutes(5));
		assertThat(this.throttle.pause("google", Duration.ofSeconds(5))).isEqualTo(until);
		assertThat(this.throttle.pausedUntil("google")).isEqualTo(until);
	}

}
