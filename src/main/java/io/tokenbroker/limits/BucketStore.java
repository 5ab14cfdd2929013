package io.tokenbroker.limits;

import io.github.bucket4j.ConsumptionProbe;

/** Where the token buckets live: this replica's memory, or the database every replica shares. */
interface BucketStore {

	/** Takes one token from the bucket of {@code key}, which starts full with {@code limit}. */
	ConsumptionProbe tryConsume(BucketKey key, LimitsProperties.Limit limit);

	/** Gives back a token taken for a request that another bucket refused. */
	void refund(BucketKey key, LimitsProperties.Limit limit);

	/** Drops what is no longer needed (full or expired buckets); called once a minute. */
	void forgetIdle();

}
