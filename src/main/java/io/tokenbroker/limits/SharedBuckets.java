package io.tokenbroker.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets every replica shares through PostgreSQL ({@link ConsumptionTable}), counted in memory. A request only
 * consumes from this replica's Bucket4j bucket (lock-free, no database); {@link BucketSync} writes what this replica
 * consumed of all its buckets in one statement every {@code max-unsynchronized-time} (T) and removes from each bucket
 * what the other replicas consumed meanwhile. A bucket that consumed {@code max-unsynchronized-share} of its capacity
 * since its last synchronization is synchronized at once, in the background.
 * <p>
 * The bound: a replica admits what it consumes between two synchronizations before the others learn of it, so N
 * replicas admit at most the budget plus about N × rate × T (rate: the bucket's refill, capacity per period). As a
 * bucket that consumed its early-sync share is synchronized at once, never more than about N × that share of the
 * capacity beyond the budget (at least one request each; this also bounds what a replica admits from a bucket new to
 * it before its first synchronization teaches it what was spent), plus what arrives during one round trip. When the
 * database does not answer, each replica keeps counting in its own memory (limits then apply per replica) and what it
 * consumed meanwhile stays its own; sharing resumes when the database is back.
 */
final class SharedBuckets implements BucketStore {

	private static final Logger log = LoggerFactory.getLogger(SharedBuckets.class);

	/**
	 * How long a row outlives its bucket's refill once nobody writes it: by then every replica has forgotten its copy
	 * (full copies are forgotten every minute), so no replica still counts on the row's total.
	 */
	static final Duration ROW_GRACE = Duration.ofMinutes(5);

	private final Map<BucketKey, SharedBucket> buckets = new ConcurrentHashMap<>();

	private final Queue<SharedBucket> earlySync = new ConcurrentLinkedQueue<>();

	private final Semaphore earlySyncSignal = new Semaphore(0);

	private final ConsumptionTable table;

	private final LimitsSyncProperties sync;

	private volatile boolean databaseFailing;

	SharedBuckets(ConsumptionTable table, LimitsSyncProperties sync) {
		this.table = table;
		this.sync = sync;
	}

	@Override
	public boolean tryConsume(BucketKey key, LimitsProperties.Limit limit) {
		SharedBucket bucket = bucket(key, limit);
		long unsynchronized = bucket.tryConsume();
		if (unsynchronized < 0) {
			return false;
		}
		if (bucket.needsEarlySync(unsynchronized)) {
			this.earlySync.add(bucket);
			this.earlySyncSignal.release();
		}
		return true;
	}

	@Override
	public long nanosToWaitForRefill(BucketKey key, LimitsProperties.Limit limit) {
		return bucket(key, limit).nanosToWaitForRefill();
	}

	@Override
	public void refund(BucketKey key, LimitsProperties.Limit limit) {
		SharedBucket bucket = this.buckets.get(key);
		if (bucket != null) {
			bucket.refund();
		}
	}

	/** Forgets full copies that have nothing to write (a new copy learns the row), and deletes expired rows. */
	@Override
	public void forgetIdle() {
		for (Map.Entry<BucketKey, SharedBucket> entry : this.buckets.entrySet()) {
			SharedBucket bucket = entry.getValue();
			if (bucket.idle() && this.buckets.remove(entry.getKey(), bucket) && !bucket.idle()) {
				// A request consumed from it as it was removed: keep it, so that the consumption is written.
				this.buckets.putIfAbsent(entry.getKey(), bucket);
			}
		}
		if (!this.databaseFailing) {
			try {
				this.table.deleteExpired();
			}
			catch (RuntimeException ex) {
				log.debug("Expired rate-limit rows are deleted later: {}", ex.toString());
			}
		}
	}

	/** Synchronizes every bucket this replica holds; false if the database did not answer. */
	boolean synchronizeAll() {
		return synchronize(this.buckets.values());
	}

	/**
	 * Waits up to {@code timeout} for buckets that need an early synchronization and synchronizes them; false if
	 * there were none or the database did not answer.
	 */
	boolean synchronizeEarly(Duration timeout) throws InterruptedException {
		if (!this.earlySyncSignal.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			return false;
		}
		this.earlySyncSignal.drainPermits();
		List<SharedBucket> due = new ArrayList<>();
		for (SharedBucket bucket = this.earlySync.poll(); bucket != null; bucket = this.earlySync.poll()) {
			due.add(bucket);
		}
		return synchronize(due);
	}

	/** One at a time: a bucket's total after its last synchronization is the baseline of the next. */
	private synchronized boolean synchronize(Collection<SharedBucket> batch) {
		Map<String, SharedBucket> byRow = new HashMap<>();
		List<ConsumptionTable.Write> writes = new ArrayList<>();
		for (SharedBucket bucket : batch) {
			if (byRow.putIfAbsent(bucket.rowId, bucket) == null) {
				writes.add(bucket.takeWrite(ROW_GRACE));
			}
		}
		if (writes.isEmpty()) {
			return true;
		}
		List<ConsumptionTable.Row> rows;
		try {
			rows = this.table.exchange(writes);
		}
		catch (RuntimeException ex) {
			if (!this.databaseFailing) {
				this.databaseFailing = true;
				log.warn("Rate limits are counted in this replica's memory until the database answers again ({})",
						ex.toString());
			}
			return false;
		}
		if (this.databaseFailing) {
			this.databaseFailing = false;
			log.info("Rate limits are shared through the database again");
		}
		Map<String, Long> written = new HashMap<>();
		writes.forEach((w) -> written.put(w.key(), w.delta()));
		for (ConsumptionTable.Row row : rows) {
			byRow.get(row.key()).learn(row, written.get(row.key()));
		}
		return true;
	}

	boolean databaseFailing() {
		return this.databaseFailing;
	}

	private SharedBucket bucket(BucketKey key, LimitsProperties.Limit limit) {
		SharedBucket bucket = this.buckets.get(key);
		if (bucket == null) {
			bucket = this.buckets.computeIfAbsent(key, (k) -> new SharedBucket(rowId(k, limit), limit, this.sync));
		}
		return bucket;
	}

	/**
	 * The row of a bucket: readable group, scope and limit (a changed limit starts new buckets), and a digest of the
	 * app and caller, which are arbitrary strings of any length.
	 */
	static String rowId(BucketKey key, LimitsProperties.Limit limit) {
		String who = key.app() + '\u0000' + ((key.caller() != null) ? key.caller() : "");
		return key.group() + ':' + key.scope() + ':' + limit.capacity() + '/' + limit.period() + ':' + digest(who);
	}

	private static String digest(String value) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
