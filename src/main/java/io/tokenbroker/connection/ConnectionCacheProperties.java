package io.tokenbroker.connection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The replica-local cache of the connection rows that token reads serve (PostgreSQL only). Every change to a row is
 * announced to all replicas through PostgreSQL notifications, which evict the copies; while this replica is not
 * listening (starting, or its listening session was lost) reads bypass the cache.
 * @param enabled whether to cache at all
 * @param maxSize connection rows kept at most (each a few hundred bytes to a few kilobytes)
 * @param timeToLive a cached row is read again after at most this long even without a notification: the bound on
 * staleness should a notification ever be lost without the session noticing (each row expires at a random point
 * between half of it and all of it, so that rows loaded together are not reloaded together)
 * @param heartbeat how often the listening session is checked while no notification arrives; a session that fails
 * the check empties the cache and reconnects
 */
@ConfigurationProperties("broker.connection-cache")
record ConnectionCacheProperties(@DefaultValue("true") boolean enabled, @DefaultValue("50000") int maxSize,
		@DefaultValue("60s") Duration timeToLive, @DefaultValue("5s") Duration heartbeat) {

	public ConnectionCacheProperties {
		if (maxSize < 0) {
			throw new IllegalArgumentException("broker.connection-cache.max-size must not be negative");
		}
		if (timeToLive.isNegative() || timeToLive.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("broker.connection-cache.time-to-live and heartbeat must be positive");
		}
	}

	boolean active() {
		return this.enabled && this.maxSize > 0;
	}

}
