package io.tokenbroker.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How replicas share rate limits ({@code broker.limits.sync.*}). On PostgreSQL the buckets live in the database; each
 * replica consumes from a local copy and writes back what it consumed after {@code maxUnsynchronizedShare} of a
 * bucket's capacity or {@code maxUnsynchronizedTime}, whichever comes first. So a read pays no database round trip,
 * and N replicas admit at most N times that share beyond a limit.
 * @param maxUnsynchronizedShare the share of a bucket's capacity a replica may consume before it synchronizes (0 to
 * synchronize on every request)
 * @param maxUnsynchronizedTime how long a replica may act on its local copy
 * @param fallbackTime how long a replica counts in its own memory after the database failed to answer, before it tries
 * the database again
 */
@ConfigurationProperties("broker.limits.sync")
public record LimitsSyncProperties(@DefaultValue("0.05") double maxUnsynchronizedShare,
		@DefaultValue("1m") Duration maxUnsynchronizedTime, @DefaultValue("10s") Duration fallbackTime) {

	public LimitsSyncProperties {
		if (maxUnsynchronizedShare < 0 || maxUnsynchronizedShare > 1) {
			throw new IllegalArgumentException("broker.limits.sync.max-unsynchronized-share must be between 0 and 1");
		}
	}

	/** How many tokens of a bucket with {@code capacity} a replica may consume without synchronizing. */
	long unsynchronizedTokens(long capacity) {
		return (long) Math.floor(capacity * this.maxUnsynchronizedShare);
	}

}
