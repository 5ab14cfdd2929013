package io.tokenbroker.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * When a failed delivery is tried again: exponential backoff from {@code initial-backoff}, doubled per attempt up to
 * {@code max-backoff}, with jitter (between half and all of it, so that endpoints recovering from an outage are not
 * hit by every replica at once), or later when the endpoint asked so with Retry-After. Retried until
 * {@code retry-for} after the event, then given up.
 */
@Component
class RetryPolicy {

	private final WebhookProperties properties;

	RetryPolicy(WebhookProperties properties) {
		this.properties = properties;
	}

	/** When to try again after the {@code attempts}-th failed attempt; null when the delivery is given up. */
	Instant nextAttempt(int attempts, Duration retryAfter, Instant eventCreatedAt, Instant now) {
		if (!now.isBefore(eventCreatedAt.plus(this.properties.retryFor()))) {
			return null;
		}
		Duration delay = backoff(attempts);
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = (retryAfter.compareTo(this.properties.retryFor()) > 0) ? this.properties.retryFor() : retryAfter;
		}
		return now.plus(delay);
	}

	Duration backoff(int attempts) {
		long initial = this.properties.initialBackoff().toMillis();
		long max = this.properties.maxBackoff().toMillis();
		int doublings = Math.min(Math.max(attempts - 1, 0), 30);
		long full = Math.min(max, initial << Math.min(doublings, Long.numberOfLeadingZeros(initial) - 1));
		long half = full / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
	}

	/** Retry-After as delay-seconds or an HTTP date; null when it is neither or already past. */
	static Duration parseRetryAfter(String value, Instant now) {
		String trimmed = value.trim();
		if (trimmed.matches("[0-9]{1,9}")) {
			return Duration.ofSeconds(Long.parseLong(trimmed));
		}
		try {
			Duration until = Duration.between(now,
					ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			return until.isNegative() ? null : until;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
