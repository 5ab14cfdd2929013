package io.tokenbroker.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in PostgreSQL's {@code rate_limit_buckets} (Bucket4j's {@code SELECT ... FOR UPDATE} proxy manager), so all
 * replicas draw from one budget. Each replica consumes from a local copy of a bucket and writes its consumption back
 * as {@link LimitsSyncProperties} allows (Bucket4j's delaying optimization): a read pays no database round trip. When
 * the database does not answer, limits are counted in this replica's memory for a while rather than failing requests.
 */
final class SharedBuckets implements BucketStore {

	private static final Logger log = LoggerFactory.getLogger(SharedBuckets.class);

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	/** This replica's proxies with their local copies; an idle one is dropped with at most its unsynchronized share. */
	private final Cache<BucketKey, Bucket> proxies = Caffeine.newBuilder()
		.expireAfterAccess(Duration.ofMinutes(5))
		.maximumSize(100_000)
		.build();

	private final LimitsSyncProperties sync;

	private final LocalBuckets fallback = new LocalBuckets();

	private volatile long localUntilNanos = System.nanoTime();

	SharedBuckets(DataSource dataSource, LimitsSyncProperties sync) {
		this.sync = sync;
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("rate_limit_buckets")
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			// A row is useless once its bucket would be full again, but a replica may act on its local copy for
			// max-unsynchronized-time without writing: deleted before that, the replica's next synchronization would
			// find no bucket.
			.expirationAfterWrite(ExpirationAfterWriteStrategy
				.basedOnTimeForRefillingBucketUpToMax(sync.maxUnsynchronizedTime().plus(Duration.ofSeconds(10))))
			.build();
	}

	@Override
	public ConsumptionProbe tryConsume(BucketKey key, LimitsProperties.Limit limit) {
		if (countingLocally()) {
			return this.fallback.tryConsume(key, limit);
		}
		try {
			return consume(key, limit);
		}
		catch (RuntimeException ex) {
			if (bucketNotFound(ex)) {
				// The row was removed under this replica's copy (several requests of one bucket at once take a path
				// on which Bucket4j does not recreate it): a fresh proxy recreates the bucket. Not an outage.
				this.proxies.invalidate(key);
				try {
					return consume(key, limit);
				}
				catch (RuntimeException again) {
					ex = again;
				}
			}
			countLocallyFor(ex);
			return this.fallback.tryConsume(key, limit);
		}
	}

	private ConsumptionProbe consume(BucketKey key, LimitsProperties.Limit limit) {
		return this.proxies.get(key, (k) -> proxy(k, limit)).tryConsumeAndReturnRemaining(1);
	}

	private static boolean bucketNotFound(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof BucketNotFoundException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void refund(BucketKey key, LimitsProperties.Limit limit) {
		Bucket proxy = this.proxies.getIfPresent(key);
		if (countingLocally() || proxy == null) {
			this.fallback.refund(key, limit);
			return;
		}
		try {
			proxy.addTokens(1);
		}
		catch (RuntimeException ex) {
			countLocallyFor(ex);
		}
	}

	@Override
	public void forgetIdle() {
		this.fallback.forgetIdle();
		if (!countingLocally()) {
			try {
				this.buckets.removeExpired(1000);
			}
			catch (RuntimeException ex) {
				log.debug("Expired rate-limit buckets are removed later: {}", ex.toString());
			}
		}
	}

	private Bucket proxy(BucketKey key, LimitsProperties.Limit limit) {
		RemoteBucketBuilder<String> builder = this.buckets.builder();
		long unsynchronized = this.sync.unsynchronizedTokens(limit.capacity());
		if (unsynchronized > 0) {
			builder = builder.withOptimization(Optimizations
				.delaying(new DelayParameters(unsynchronized, this.sync.maxUnsynchronizedTime())));
		}
		return builder.build(rowId(key, limit), () -> LocalBuckets.configuration(limit));
	}

	boolean countingLocally() {
		return System.nanoTime() - this.localUntilNanos < 0;
	}

	private void countLocallyFor(RuntimeException ex) {
		if (!countingLocally()) {
			log.warn("Rate limits are counted in this replica's memory for {}: the database did not answer ({})",
					this.sync.fallbackTime(), ex.toString());
		}
		this.localUntilNanos = System.nanoTime() + this.sync.fallbackTime().toNanos();
		this.proxies.invalidateAll();
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
