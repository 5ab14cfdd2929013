package io.tokenbroker.limits;

/** Where the token buckets live: this replica's memory, or shared by every replica through the database. */
interface BucketStore {

	/**
	 * Takes one token from the bucket of {@code key}, which starts full with {@code limit}; false if it has none. The
	 * path of every counted request: it allocates nothing once the bucket exists.
	 */
	boolean tryConsume(BucketKey key, LimitsProperties.Limit limit);

	/** How long until the bucket of {@code key} has a token again (asked only after {@link #tryConsume} refused). */
	long nanosToWaitForRefill(BucketKey key, LimitsProperties.Limit limit);

	/** Gives back a token taken for a request that another bucket refused. */
	void refund(BucketKey key, LimitsProperties.Limit limit);

	/** Drops what is no longer needed (full or expired buckets); called once a minute. */
	void forgetIdle();

}
