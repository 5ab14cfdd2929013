package io.tokenbroker.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * When a token is due: on read (skew), for the scheduler (window and jitter), and after failures (backoff).
 * <p>
 * A token living shorter than these margins (Wix issues 300 s tokens; the window is 5 minutes) would be due again the
 * moment it arrives, so every margin is also capped at a share of the token's lifetime: the scheduler renews a token
 * once, when between a half and a third of its life is left, and a read refreshes one itself only in the last third
 * of its life. The scheduler therefore normally gets there first, and reads refresh only what it could not (a
 * scheduler that is stopped or behind); whichever comes first renews it, and the other then finds a new token.
 */
@Component
public class RefreshPolicy {

	/** Shortest retry delay, so that a misconfigured backoff cannot turn failures into a busy loop. */
	private static final long MIN_DELAY_MILLIS = 100;

	private final RefreshProperties properties;

	/** Three times the skew, once: Duration's multiplication and division go through BigDecimal. */
	private final Duration threeSkews;

	public RefreshPolicy(RefreshProperties properties) {
		this.properties = properties;
		this.threeSkews = properties.skew().multipliedBy(3);
	}

	/**
	 * Whether a token is expired or expires within the skew, capped at a third of its lifetime: a token issued at
	 * {@code issuedAt} that lives shorter than the skew is not refreshed on every read, and the scheduler, which renews
	 * it when a half to a third of its life is left, gets there before the reads (with 60 s tokens read several times
	 * a second, reads would otherwise do every refresh). Without an issue time the full skew applies.
	 */
	boolean mustRefreshBeforeServing(Instant expiresAt, Instant issuedAt, Instant now) {
		if (expiresAt == null) {
			return false;
		}
		Duration skew = this.properties.skew();
		if (issuedAt != null && issuedAt.isBefore(expiresAt)) {
			// The third of the lifetime is computed only when it is the smaller (Duration.dividedBy goes through
			// BigDecimal, and this runs on every read); comparing with three skews decides the same.
			Duration lifetime = Duration.between(issuedAt, expiresAt);
			if (lifetime.compareTo(this.threeSkews) < 0) {
				skew = lifetime.dividedBy(3);
			}
		}
		return !expiresAt.isAfter(now.plus(skew));
	}

	/**
	 * Whether a token is in the scheduler's renewal window or past its expiry: a provider that rejects such a token
	 * is likely to accept a refreshed one. Never true for a token that does not expire.
	 */
	public boolean isExpiring(Instant expiresAt, Instant now) {
		return expiresAt != null && !expiresAt.isAfter(now.plus(this.properties.window()));
	}

	/**
	 * Whether a read must refresh before serving. A token that still works is served as it is while its last refresh
	 * failed and the retry is not due yet: a provider outage must not slow every read down, nor be hammered by them.
	 */
	boolean shouldRefreshOnRead(ConnectionRow row, Instant now) {
		if (!mustRefreshBeforeServing(row.expiresAt(), issuedAt(row), now)) {
			return false;
		}
		boolean stillValid = row.expiresAt().isAfter(now);
		return !(stillValid && backingOff(row, now));
	}

	/**
	 * Whether a read should take over a refresh in flight whose refresher is gone: yes, unless the connection is
	 * backing off after such a takeover failed (a provider that did not answer it either is not asked again by every
	 * read; the reads are answered 503 until the retry is due).
	 */
	boolean shouldTakeOverOnRead(ConnectionRow row, Instant now) {
		return !backingOff(row, now);
	}

	private static boolean backingOff(ConnectionRow row, Instant now) {
		return row.refreshFailures() > 0 && row.refreshDueAt() != null && row.refreshDueAt().isAfter(now);
	}

	/**
	 * When the scheduler should renew a token issued at {@code now}: the window before expiry, minus random jitter.
	 * The window and jitter shrink for short-lived tokens (at most a third and a sixth of the lifetime), so that a
	 * token living shorter than the window is renewed once per lifetime, when half to two thirds of it has passed,
	 * not again the moment it arrives. Never for a token that does not expire; at expiry for a token without a
	 * refresh token (it is then marked expired).
	 */
	public Instant refreshDueAt(Instant expiresAt, boolean hasRefreshToken, Instant now) {
		if (expiresAt == null) {
			return null;
		}
		if (!hasRefreshToken) {
			return expiresAt;
		}
		Duration lifetime = Duration.between(now, expiresAt);
		if (lifetime.isNegative() || lifetime.isZero()) {
			return now;
		}
		Duration lead = min(this.properties.window(), lifetime.dividedBy(3));
		long jitterMillis = min(this.properties.jitter(), lifetime.dividedBy(6)).toMillis();
		long jitter = (jitterMillis > 0) ? ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0;
		Instant due = expiresAt.minus(lead).minusMillis(jitter);
		return due.isBefore(now) ? now : due;
	}

	/** When the row's token was issued: its last refresh, else its authorization (null for a pending row). */
	private static Instant issuedAt(ConnectionRow row) {
		return (row.lastRefreshedAt() != null) ? row.lastRefreshedAt() : row.authorizedAt();
	}

	/**
	 * Exponential backoff with "equal jitter": a delay between half and all of backoff × 2^failures, capped at the
	 * maximum backoff, so that connections that failed together do not retry together.
	 */
	public Duration backoff(int previousFailures) {
		long base = this.properties.backoff().toMillis();
		long cap = this.properties.maxBackoff().toMillis();
		int shift = Math.min(Math.max(previousFailures, 0), 30);
		long ceiling = Math.max(MIN_DELAY_MILLIS, (base > (cap >> shift)) ? cap : Math.min(cap, base << shift));
		long half = ceiling / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
	}

	/** The later of the backoff and the provider's Retry-After (capped at the maximum backoff). */
	public Duration retryDelay(int previousFailures, Duration retryAfter) {
		Duration backoff = backoff(previousFailures);
		Duration honoured = cappedRetryAfter(retryAfter);
		return (honoured != null && honoured.compareTo(backoff) > 0) ? honoured : backoff;
	}

	/** How long to leave a provider alone after it said "too many requests" or asked to retry later. */
	public Duration providerPause(Duration retryAfter) {
		Duration honoured = cappedRetryAfter(retryAfter);
		return (honoured != null && !honoured.isZero()) ? honoured : this.properties.backoff();
	}

	/** The Retry-After to give a caller whose expired token could not be refreshed. */
	public Duration callerRetryAfter(Duration providerRetryAfter) {
		Duration honoured = cappedRetryAfter(providerRetryAfter);
		Duration after = (honoured != null) ? honoured : this.properties.backoff();
		return (after.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : after;
	}

	private Duration cappedRetryAfter(Duration retryAfter) {
		if (retryAfter == null || retryAfter.isNegative()) {
			return null;
		}
		// A provider's Retry-After is honoured, but a hostile or broken one cannot park a connection for years.
		return min(retryAfter, this.properties.maxBackoff());
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
