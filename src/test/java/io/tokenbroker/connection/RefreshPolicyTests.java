package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The schedule: when the background refresher renews a token, how it spreads renewals, and how it backs off. */
class RefreshPolicyTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final RefreshPolicy policy = new RefreshPolicy(properties(Duration.ofMinutes(5), Duration.ofSeconds(60)));

	@Test
	void tokenIsDueWithinTheWindowBeforeExpiryMinusAtMostTheJitter() {
		Instant expiry = NOW.plus(Duration.ofHours(1));
		for (int i = 0; i < 200; i++) {
			Instant due = this.policy.refreshDueAt(expiry, true, NOW);
			assertThat(due).isBetween(expiry.minus(Duration.ofMinutes(6)), expiry.minus(Duration.ofMinutes(5)));
		}
	}

	@Test
	void tokensIssuedTogetherAreRenewedSpreadOverTheJitter() {
		Instant expiry = NOW.plus(Duration.ofHours(1));
		Set<Instant> seconds = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			seconds.add(this.policy.refreshDueAt(expiry, true, NOW).truncatedTo(ChronoUnit.SECONDS));
		}
		// 1000 tokens issued in the same second spread over (nearly) all of the 60 one-second slots.
		assertThat(seconds).hasSizeGreaterThanOrEqualTo(55);
	}

	@Test
	void tokenLivingShorterThanTheWindowIsRenewedOncePerLifetimeNotAtOnce() {
		// Wix's 300 s tokens against the 5 min window: the window is capped at a third of the lifetime (100 s), the
		// jitter at a sixth (50 s), so the token is renewed when half to two thirds of its life has passed.
		Instant expiry = NOW.plusSeconds(300);
		for (int i = 0; i < 200; i++) {
			assertThat(this.policy.refreshDueAt(expiry, true, NOW)).isBetween(NOW.plusSeconds(150),
					NOW.plusSeconds(200));
		}
	}

	@Test
	void readRefreshesAShortLivedTokenOnlyInTheLastThirdOfItsLife() {
		// A 60 s token against the 60 s skew: without the cap, every read would refresh it.
		Instant issued = NOW;
		Instant expiry = issued.plusSeconds(60);
		assertThat(this.policy.shouldRefreshOnRead(row(issued, expiry, 0, null), NOW.plusSeconds(1))).isFalse();
		assertThat(this.policy.shouldRefreshOnRead(row(issued, expiry, 0, null), NOW.plusSeconds(39))).isFalse();
		assertThat(this.policy.shouldRefreshOnRead(row(issued, expiry, 0, null), NOW.plusSeconds(40))).isTrue();
	}

	@Test
	void schedulerIsDueNoLaterThanAReadWouldRefreshAShortLivedToken() {
		// A read refreshes a 60 s token from 40 s on; the scheduler renews it between 30 and 40 s, so that it, not the
		// reads, does the refreshes of tokens read all the time.
		Instant expiry = NOW.plusSeconds(60);
		for (int i = 0; i < 200; i++) {
			assertThat(this.policy.refreshDueAt(expiry, true, NOW)).isBetween(NOW.plusSeconds(30),
					NOW.plusSeconds(40));
		}
	}

	@Test
	void tokenWithoutRefreshTokenIsDueExactlyAtExpiry() {
		Instant expiry = NOW.plus(Duration.ofMinutes(30));
		assertThat(this.policy.refreshDueAt(expiry, false, NOW)).isEqualTo(expiry);
	}

	@Test
	void tokenThatNeverExpiresIsNeverDue() {
		assertThat(this.policy.refreshDueAt(null, true, NOW)).isNull();
		assertThat(this.policy.refreshDueAt(null, false, NOW)).isNull();
	}

	@Test
	void alreadyExpiredTokenIsDueNow() {
		assertThat(this.policy.refreshDueAt(NOW.minusSeconds(5), true, NOW)).isEqualTo(NOW);
	}

	@Test
	void backoffDoublesPerFailureWithJitterUpToTheCap() {
		// backoff 30 s, max 30 min: the ceiling is 30 s × 2^failures, the delay between half of it and all of it.
		for (int failures = 0; failures <= 5; failures++) {
			long ceiling = 30_000L << failures;
			for (int i = 0; i < 50; i++) {
				assertThat(this.policy.backoff(failures).toMillis()).isBetween(ceiling / 2, ceiling);
			}
		}
		for (int failures : List.of(6, 7, 10, 40, 1000)) {
			assertThat(this.policy.backoff(failures)).isBetween(Duration.ofMinutes(15), Duration.ofMinutes(30));
		}
	}

	@Test
	void backoffIsJittered() {
		Set<Duration> delays = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			delays.add(this.policy.backoff(3));
		}
		assertThat(delays).hasSizeGreaterThan(10);
	}

	@Test
	void retryDelayHonoursALaterRetryAfterButCapsIt() {
		assertThat(this.policy.retryDelay(0, Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
		assertThat(this.policy.retryDelay(0, Duration.ofSeconds(1))).isBetween(Duration.ofSeconds(15),
				Duration.ofSeconds(30));
		assertThat(this.policy.retryDelay(0, Duration.ofDays(3650))).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void providerPauseIsItsRetryAfterOrTheBaseBackoff() {
		assertThat(this.policy.providerPause(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.policy.providerPause(null)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void readRefreshesATokenExpiringWithinTheSkew() {
		assertThat(this.policy.shouldRefreshOnRead(row(NOW.plusSeconds(30), 0, null), NOW)).isTrue();
		assertThat(this.policy.shouldRefreshOnRead(row(NOW.plusSeconds(90), 0, null), NOW)).isFalse();
		assertThat(this.policy.shouldRefreshOnRead(row(null, 0, null), NOW)).isFalse();
	}

	@Test
	void readServesAStillValidTokenWhileItsRefreshBacksOff() {
		assertThat(this.policy.shouldRefreshOnRead(row(NOW.plusSeconds(30), 2, NOW.plusSeconds(20)), NOW)).isFalse();
		// Once the retry is due, the read tries again.
		assertThat(this.policy.shouldRefreshOnRead(row(NOW.plusSeconds(30), 2, NOW.minusSeconds(1)), NOW)).isTrue();
	}

	@Test
	void readRefreshesAnExpiredTokenEvenWhileBackingOff() {
		assertThat(this.policy.shouldRefreshOnRead(row(NOW.minusSeconds(1), 2, NOW.plusSeconds(20)), NOW)).isTrue();
	}

	static RefreshProperties properties(Duration window, Duration jitter) {
		return new RefreshProperties(Duration.ofSeconds(60), window, jitter, Duration.ofSeconds(30),
				Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofMinutes(30));
	}

	/** A row whose token was issued an hour ago, so that only the skew decides. */
	@Test
	void readTakesOverARefreshInFlightUnlessItsRepeatFailedAndBacksOff() {
		Instant expiry = NOW.plus(Duration.ofMinutes(30));
		// Left by a dead refresher: marking it made it due, so the next read takes it over.
		assertThat(this.policy.shouldTakeOverOnRead(row(expiry, 0, NOW).markedSent(NOW), NOW)).isTrue();
		assertThat(this.policy.shouldTakeOverOnRead(row(expiry, 2, NOW.minusSeconds(1)).markedSent(NOW), NOW)).isTrue();
		// Its repeat got no answer either: reads wait for the retry instead of each asking the provider.
		assertThat(this.policy.shouldTakeOverOnRead(row(expiry, 1, NOW.plusSeconds(20)).markedSent(NOW), NOW))
			.isFalse();
	}

	private static ConnectionRow row(Instant expiresAt, int failures, Instant dueAt) {
		return row(NOW.minus(Duration.ofHours(1)), expiresAt, failures, dueAt);
	}

	private static ConnectionRow row(Instant issuedAt, Instant expiresAt, int failures, Instant dueAt) {
		return new ConnectionRow("conn_1", "ctr_1", "app", "", "mockidp", ConnectionStatus.ACTIVE, null, "a", "r",
				expiresAt, List.of(), null, null, Map.of(), Map.of(), List.of(), issuedAt, null, failures, null, null, 1,
				dueAt, NOW, null);
	}

}
