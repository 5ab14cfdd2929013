package io.tokenbroker.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bucket;

/**
 * This replica's copy of one shared bucket: a Bucket4j bucket in memory that requests consume from, what they consumed
 * since the last synchronization, and the bucket's total consumption in the database as of that synchronization.
 */
final class SharedBucket {

	/** The bucket's row: computed once, so that requests pay no digest. */
	final String rowId;

	private final Bucket bucket;

	private final long capacity;

	private final Duration period;

	private final long earlySyncTokens;

	private final AtomicLong unsynchronized = new AtomicLong();

	private final AtomicBoolean awaitingEarlySync = new AtomicBoolean();

	/** The row's {@code consumed} after this replica's last synchronization; -1 before the first one. */
	private long syncedTotal = -1;

	SharedBucket(String rowId, LimitsProperties.Limit limit, LimitsSyncProperties sync) {
		this.rowId = rowId;
		this.bucket = LocalBuckets.newBucket(limit);
		this.capacity = limit.capacity();
		this.period = limit.period();
		this.earlySyncTokens = sync.unsynchronizedTokens(limit.capacity());
	}

	/** Consumes one token; -1 if there is none, else what this replica consumed since the last synchronization. */
	long tryConsume() {
		return this.bucket.tryConsume(1) ? this.unsynchronized.incrementAndGet() : -1;
	}

	/** True once, when requests have consumed enough to synchronize this bucket before the next interval. */
	boolean needsEarlySync(long unsynchronized) {
		return unsynchronized >= this.earlySyncTokens && this.awaitingEarlySync.compareAndSet(false, true);
	}

	void refund() {
		this.bucket.addTokens(1);
		this.unsynchronized.decrementAndGet();
	}

	long nanosToWaitForRefill() {
		return this.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
	}

	boolean idle() {
		return this.unsynchronized.get() == 0 && this.bucket.getAvailableTokens() >= this.capacity;
	}

	/** What to write: the consumption since the last synchronization, which from now on counts towards the next. */
	ConsumptionTable.Write takeWrite(Duration rowGrace) {
		this.awaitingEarlySync.set(false);
		return new ConsumptionTable.Write(this.rowId, this.unsynchronized.getAndSet(0), this.bucket.getAvailableTokens(),
				this.period.plus(rowGrace).toMillis());
	}

	/**
	 * Removes from this bucket what the other replicas consumed since this replica's last synchronization ({@code row}:
	 * the row's total before this replica's write, after its write {@code written}). The first synchronization of a
	 * copy cannot tell that from the total: it takes what the row's last writer had left, refilled since.
	 */
	void learn(ConsumptionTable.Row row, long written) {
		long others;
		if (this.syncedTotal < 0) {
			others = (row.lastWriterTokens() != null) ? spentAtFirstSight(row) : row.consumedBefore();
		}
		else if (row.consumedBefore() >= this.syncedTotal) {
			others = row.consumedBefore() - this.syncedTotal;
		}
		else {
			// The row was deleted as idle and written again since: all of it but this replica's part is new.
			others = row.consumedBefore();
		}
		this.syncedTotal = row.consumedBefore() + written;
		if (others > 0) {
			this.bucket.consumeIgnoringRateLimits(others);
		}
		else if (others < 0) {
			// Others gave back tokens (refunds) that were in an earlier total.
			this.bucket.addTokens(-others);
		}
	}

	/** The tokens missing from a full bucket when the row's last writer synchronized, less the refill since. */
	private long spentAtFirstSight(ConsumptionTable.Row row) {
		// Bucket4j refills greedily: capacity per period, evenly.
		double refilled = (double) this.capacity * row.lastWriteAgeMillis() / this.period.toMillis();
		return Math.max(0, Math.round(this.capacity - row.lastWriterTokens() - refilled));
	}

}
