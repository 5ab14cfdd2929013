package io.tokenbroker.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How replicas share rate limits through PostgreSQL ({@code broker.limits.sync.*}). Each replica counts in its own
 * memory and, once every {@code maxUnsynchronizedTime}, writes what it consumed of all its buckets in one statement and
 * learns what the other replicas consumed meanwhile. A bucket whose unsynchronized consumption reaches
 * {@code maxUnsynchronizedShare} of its capacity is synchronized at once, in the background. Requests never wait for the
 * database; see {@link SharedBuckets} for what N replicas may admit beyond a limit.
 * @param maxUnsynchronizedShare the share of a bucket's capacity a replica may consume before it synchronizes that
 * bucket early (0: right after every request)
 * @param maxUnsynchronizedTime the interval of the synchronization of all buckets
 * @param fallbackTime how long a replica waits before it tries the database again after a synchronization failed
 * (it counts in its own memory meanwhile)
 */
@ConfigurationProperties("broker.limits.sync")
public record LimitsSyncProperties(@DefaultValue("0.05") double maxUnsynchronizedShare,
		@DefaultValue("1s") Duration maxUnsynchronizedTime, @DefaultValue("10s") Duration fallbackTime) {

	public LimitsSyncProperties {
		if (maxUnsynchronizedShare < 0 || maxUnsynchronizedShare > 1) {
			throw new IllegalArgumentException("broker.limits.sync.max-unsynchronized-share must be between 0 and 1");
		}
		if (maxUnsynchronizedTime.isZero() || maxUnsynchronizedTime.isNegative()) {
			throw new IllegalArgumentException("broker.limits.sync.max-unsynchronized-time must be positive");
		}
	}

	/** How many tokens of a bucket with {@code capacity} a replica consumes before it synchronizes it early. */
	long unsynchronizedTokens(long capacity) {
		return Math.max(1, (long) Math.floor(capacity * this.maxUnsynchronizedShare));
	}

}
