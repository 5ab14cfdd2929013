package io.tokenbroker.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/** When a token is due: on read (skew), for the scheduler (window and jitter), and after failures (backoff). */
@Component
public class RefreshPolicy {

	private final RefreshProperties properties;

	RefreshPolicy(RefreshProperties properties) {
		this.properties = properties;
	}

	/** Whether a read must refresh before serving: the token is expired or expires within the skew. */
	public boolean mustRefreshBeforeServing(Instant expiresAt, Instant now) {
		return expiresAt != null && !expiresAt.isAfter(now.plus(this.properties.skew()));
	}

	/**
	 * Whether a token is in the scheduler's renewal window or past its expiry: a provider that rejects such a token
	 * is likely to accept a refreshed one. Never true for a token that does not expire.
	 */
	public boolean isExpiring(Instant expiresAt, Instant now) {
		return expiresAt != null && !expiresAt.isAfter(now.plus(this.properties.window()));
	}

	/**
	 * When the scheduler should renew a token: the window before expiry, minus random jitter. Never for a token that
	 * does not expire; at expiry for a token without a refresh token (it is then marked expired).
	 */
	public Instant refreshDueAt(Instant expiresAt, boolean hasRefreshToken, Instant now) {
		if (expiresAt == null) {
			return null;
		}
		if (!hasRefreshToken) {
			return expiresAt;
		}
		long jitterMillis = this.properties.jitter().toMillis();
		Duration jitter = Duration.ofMillis((jitterMillis > 0) ? ThreadLocalRandom.current().nextLong(jitterMillis) : 0);
		Instant due = expiresAt.minus(this.properties.window()).minus(jitter);
		return due.isBefore(now) ? now : due;
	}

	/** Exponential backoff with full jitter: a random delay up to backoff × 2^failures, capped. */
	public Duration backoff(int previousFailures) {
		long base = this.properties.backoff().toMillis();
		long cap = this.properties.maxBackoff().toMillis();
		long ceiling = Math.min(cap, base << Math.min(previousFailures, 20));
		long half = ceiling / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling - half)));
	}

	/** The later of the backoff and a provider's Retry-After. */
	public Duration retryDelay(int previousFailures, Duration retryAfter) {
		Duration backoff = backoff(previousFailures);
		return (retryAfter != null && retryAfter.compareTo(backoff) > 0) ? retryAfter : backoff;
	}

}
