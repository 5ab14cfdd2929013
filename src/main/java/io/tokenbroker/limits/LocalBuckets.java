package io.tokenbroker.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Buckets in this replica's memory: the store of a single broker (dev mode on H2), and the fallback of the shared
 * store while the database does not answer.
 */
final class LocalBuckets implements BucketStore {

	private record Entry(Bucket bucket, long capacity) {
	}

	private final Map<BucketKey, Entry> buckets = new ConcurrentHashMap<>();

	@Override
	public ConsumptionProbe tryConsume(BucketKey key, LimitsProperties.Limit limit) {
		return bucket(key, limit).tryConsumeAndReturnRemaining(1);
	}

	@Override
	public void refund(BucketKey key, LimitsProperties.Limit limit) {
		Entry entry = this.buckets.get(key);
		if (entry != null) {
			entry.bucket().addTokens(1);
		}
	}

	/** Forgets buckets that are full again: a fresh bucket behaves the same, so memory follows active callers only. */
	@Override
	public void forgetIdle() {
		this.buckets.values().removeIf((e) -> e.bucket().getAvailableTokens() >= e.capacity());
	}

	private Bucket bucket(BucketKey key, LimitsProperties.Limit limit) {
		return this.buckets
			.computeIfAbsent(key, (k) -> new Entry(Bucket.builder().addLimit(bandwidth(limit)).build(), limit.capacity()))
			.bucket();
	}

	static Bandwidth bandwidth(LimitsProperties.Limit limit) {
		return Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build();
	}

	static BucketConfiguration configuration(LimitsProperties.Limit limit) {
		return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
	}

}
