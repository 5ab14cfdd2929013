package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The retry schedule with the default settings: how long, how far apart, and what Retry-After changes. */
class RetryPolicyTests {

	private static final WebhookProperties DEFAULTS = new WebhookProperties(true, 32, Duration.ofMillis(250),
			Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5),
			Duration.ofHours(1), Duration.ofHours(26), 5, 3, Duration.ofDays(7), List.of(), 20);

	private final RetryPolicy policy = new RetryPolicy(DEFAULTS);

	private final Instant created = Instant.parse("2026-05-04T10:00:00Z");

	@Test
	void backoffDoublesWithJitterBetweenHalfAndAllOfItUpToTheMaximum() {
		for (int attempts = 1; attempts <= 14; attempts++) {
			long full = Math.min(Duration.ofHours(1).toMillis(), 5_000L << (attempts - 1));
			Set<Long> seen = new HashSet<>();
			for (int i = 0; i < 200; i++) {
				long delay = this.policy.backoff(attempts).toMillis();
				assertThat(delay).as("attempt %d", attempts).isBetween(full / 2, full);
				seen.add(delay);
			}
			assertThat(seen).as("jitter at attempt %d", attempts).hasSizeGreaterThan(1);
		}
	}

	@Test
	void aDeliveryIsRetriedForMoreThanADayThenGivenUp() {
		Instant now = this.created;
		int attempts = 0;
		Instant next;
		while ((next = this.policy.nextAttempt(++attempts, null, this.created, now)) != null) {
			assertThat(next).isAfter(now);
			now = next;
		}
		assertThat(Duration.between(this.created, now)).isGreaterThanOrEqualTo(Duration.ofHours(24));
		assertThat(attempts).as("attempts at most an hour apart over 26 h").isGreaterThan(26);
		assertThat(this.policy.nextAttempt(1, null, this.created, this.created.plus(Duration.ofHours(26)))).isNull();
	}

	@Test
	void retryAfterLongerThanTheBackoffIsHonouredAndBoundedByTheRetryPeriod() {
		Instant now = this.created.plusSeconds(10);
		assertThat(this.policy.nextAttempt(1, Duration.ofMinutes(10), this.created, now))
			.isEqualTo(now.plus(Duration.ofMinutes(10)));
		assertThat(Duration.between(now, this.policy.nextAttempt(1, Duration.ofMillis(1), this.created, now)))
			.isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
		assertThat(this.policy.nextAttempt(1, Duration.ofDays(30), this.created, now))
			.isEqualTo(now.plus(Duration.ofHours(26)));
	}

	@Test
	void retryAfterIsReadAsSecondsOrAnHttpDate() {
		Instant now = Instant.parse("2026-05-04T10:00:00Z");
		assertThat(RetryPolicy.parseRetryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryPolicy.parseRetryAfter("Mon, 04 May 2026 10:05:00 GMT", now)).isEqualTo(Duration.ofMinutes(5));
		assertThat(RetryPolicy.parseRetryAfter("Mon, 04 May 2026 09:05:00 GMT", now)).isNull();
		assertThat(RetryPolicy.parseRetryAfter("soon", now)).isNull();
		assertThat(RetryPolicy.parseRetryAfter("-5", now)).isNull();
	}

}
