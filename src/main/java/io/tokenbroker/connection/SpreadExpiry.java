package io.tokenbroker.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Expiry after write at a random point between half the time to live and all of it. Rows are loaded together (every
 * hot row in the first second of traffic, or after a restart), and with one fixed time to live they would expire
 * together, so that every read missed at once and queued for the database, again and again one time to live apart.
 * Spread out, the reloads of a busy replica arrive at a steady trickle. The time to live stays the upper bound.
 */
final class SpreadExpiry<K, V> implements Expiry<K, V> {

	private final long maxNanos;

	SpreadExpiry(Duration timeToLive) {
		this.maxNanos = timeToLive.toNanos();
	}

	@Override
	public long expireAfterCreate(K key, V value, long currentTime) {
		return lifetime();
	}

	@Override
	public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
		return lifetime();
	}

	@Override
	public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
		return currentDuration;
	}

	/** Between half the time to live and all of it, uniformly. */
	long lifetime() {
		long half = this.maxNanos / 2;
		return half + ThreadLocalRandom.current().nextLong(this.maxNanos - half + 1);
	}

}
