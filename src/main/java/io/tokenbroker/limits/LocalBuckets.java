package io.tokenbroker.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/** Buckets in this replica's memory only: the store of a single broker (dev mode on H2). */
final class LocalBuckets implements BucketStore {

	private record Entry(Bucket bucket, long capacity) {
	}

	private final Map<BucketKey, Entry> buckets = new ConcurrentHashMap<>();

	@Override
	public boolean tryConsume(BucketKey key, LimitsProperties.Limit limit) {
		return bucket(key, limit).tryConsume(1);
	}

	@Override
	public long nanosToWaitForRefill(BucketKey key, LimitsProperties.Limit limit) {
		return bucket(key, limit).estimateAbilityToConsume(1).getNanosToWaitForRefill();
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
		Entry entry = this.buckets.get(key);
		if (entry == null) {
			entry = this.buckets.computeIfAbsent(key, (k) -> new Entry(newBucket(limit), limit.capacity()));
		}
		return entry.bucket();
	}

	/** A bucket of {@code limit} in memory (Bucket4j's lock-free local bucket), full. */
	static Bucket newBucket(LimitsProperties.Limit limit) {
		return Bucket.builder().addLimit(bandwidth(limit)).build();
	}

	private static Bandwidth bandwidth(LimitsProperties.Limit limit) {
		return Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build();
	}

}
