package io.tokenbroker.connection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When and how tokens are refreshed. The background refresher's own settings, under the same prefix, are the
 * refresh module's.
 * @param skew a read that finds the token expiring within this refreshes it first (within at most a third of the
 * token's lifetime, so that a token living shorter than this is not refreshed on every read, and the scheduler
 * normally renews it before a read has to)
 * @param window the scheduler renews tokens this long before expiry (at most a third of the token's
 * lifetime: a short-lived token is renewed once per lifetime)
 * @param jitter up to this much earlier again, at random (at most a sixth of the lifetime), so tokens issued
 * together are not renewed together
 * @param lease how long a replica owns a connection before another may take over; renewed every third of it while the
 * replica holds the connection, so only a dead replica's lease runs out. A lease taken to refresh lasts this plus the
 * provider call's timeouts ({@code broker.oauth.connect-timeout} + {@code read-timeout}), so that the call is covered
 * even if no renewal gets through
 * @param waitForOtherReplica how long a read waits for a refresh that another replica is doing
 * @param backoff first retry delay after a transient failure (doubles per failure, with jitter); also how long a
 * provider is paused after a 429 without Retry-After
 * @param maxBackoff ceiling of that delay, and of a provider's Retry-After
 */
@ConfigurationProperties("broker.refresh")
public record RefreshProperties(@DefaultValue("60s") Duration skew, @DefaultValue("5m") Duration window,
		@DefaultValue("60s") Duration jitter, @DefaultValue("30s") Duration lease,
		@DefaultValue("20s") Duration waitForOtherReplica, @DefaultValue("30s") Duration backoff,
		@DefaultValue("30m") Duration maxBackoff) {

	public RefreshProperties {
		requirePositive("lease", lease);
		requirePositive("backoff", backoff);
		if (skew.isNegative() || window.isNegative() || jitter.isNegative() || waitForOtherReplica.isNegative()) {
			throw new IllegalArgumentException("broker.refresh durations must not be negative");
		}
		if (maxBackoff.compareTo(backoff) < 0) {
			throw new IllegalArgumentException("broker.refresh.max-backoff must be at least broker.refresh.backoff");
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("broker.refresh." + name + " must be positive");
		}
	}

}
