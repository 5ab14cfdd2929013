package io.tokenbroker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.TestDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Buckets shared through PostgreSQL without a broker: two stores on one database stand for two replicas, and the tests
 * synchronize them by hand where the broker's background thread would.
 */
class SharedBucketsTests {

	private static final LimitsSyncProperties SYNC = new LimitsSyncProperties(0.05, Duration.ofSeconds(1),
			Duration.ofSeconds(10));

	/** Refills one token in 86 s: no test runs long enough to see a refill. */
	private static final LimitsProperties.Limit PER_DAY = new LimitsProperties.Limit(1000, Duration.ofDays(1));

	private static final BucketKey KEY = BucketKey.ofCaller("reads", "app-shared", "caller");

	private String url;

	private SwitchableDataSource database;

	private SharedBuckets first;

	private SharedBuckets second;

	@BeforeEach
	void migratedDatabase() throws Exception {
		this.url = TestDatabase.newDatabase("limits_shared");
		Flyway.configure()
			.dataSource(this.url, TestDatabase.username(), TestDatabase.password())
			.locations("classpath:db/migration", "classpath:db/vendor/postgresql")
			.load()
			.migrate();
		this.database = new SwitchableDataSource(new SimpleDriverDataSource(new org.postgresql.Driver(), this.url,
				TestDatabase.username(), TestDatabase.password()));
		this.first = new SharedBuckets(new ConsumptionTable(this.database), SYNC);
		this.second = new SharedBuckets(new ConsumptionTable(plainDataSource()), SYNC);
	}

	@Test
	void twoReplicasShareOneBudgetWithinTheDocumentedBound() {
		LimitsProperties.Limit limit = new LimitsProperties.Limit(100, Duration.ofDays(1));
		long admitted = 0;
		// Each replica admits up to its early-sync share (5 tokens) between two synchronizations.
		for (int round = 0; round < 40; round++) {
			admitted += consume(this.first, limit, 5) + consume(this.second, limit, 5);
			this.first.synchronizeAll();
			this.second.synchronizeAll();
		}
		assertThat(admitted).isBetween(100L, 100L + 2 * 5);
	}

	@Test
	void aReplicaLearnsWhatAnotherConsumedOfABucketItHoldsButDidNotUse() {
		consume(this.first, PER_DAY, 1);
		consume(this.second, PER_DAY, 1);
		this.first.synchronizeAll();
		this.second.synchronizeAll();
		consume(this.first, PER_DAY, 500);
		this.first.synchronizeAll();
		this.second.synchronizeAll();
		assertThat(consume(this.second, PER_DAY, 1000)).isEqualTo(1000 - 2 - 500);
	}

	@Test
	void aReplicaThatStartsUsingABucketLearnsWhatWasSpentBefore() {
		consume(this.first, PER_DAY, 600);
		this.first.synchronizeAll();
		consume(this.second, PER_DAY, 1);
		this.second.synchronizeAll();
		assertThat(consume(this.second, PER_DAY, 1000)).isEqualTo(1000 - 600 - 1);
	}

	@Test
	void aRowDeletedAndWrittenAgainTeachesWhatWasWrittenSince() throws Exception {
		consume(this.first, PER_DAY, 1);
		consume(this.second, PER_DAY, 1);
		this.first.synchronizeAll();
		this.second.synchronizeAll();
		consume(this.first, PER_DAY, 10);
		this.first.synchronizeAll();
		TestDatabase.execute(this.url, "delete from rate_limit_consumption");
		consume(this.second, PER_DAY, 3);
		this.second.synchronizeAll();
		this.first.synchronizeAll();
		assertThat(consume(this.first, PER_DAY, 1000)).isEqualTo(1000 - 2 - 10 - 3);
	}

	@Test
	void replicasSynchronizingOverlappingBucketsAtOnceLoseNoConsumption() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<Long>> admitted = new ArrayList<>();
			for (SharedBuckets replica : List.of(this.first, this.second)) {
				admitted.add(pool.submit(() -> {
					long count = 0;
					for (int round = 0; round < 20; round++) {
						for (int caller = 0; caller < 200; caller++) {
							count += consume(replica, BucketKey.ofCaller("reads", "app", "caller-" + caller), PER_DAY,
									1);
						}
						assertThat(replica.synchronizeAll()).isTrue();
					}
					return count;
				}));
			}
			long total = admitted.get(0).get() + admitted.get(1).get();
			assertThat(total).isEqualTo(2 * 20 * 200);
			assertThat(jdbc().sql("select sum(consumed) from rate_limit_consumption").query(Long.class).single())
				.isEqualTo(total);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void requestsNeverTouchTheDatabaseOnlyTheSynchronizationDoes() {
		for (int i = 0; i < 10_000; i++) {
			BucketKey caller = BucketKey.ofCaller("reads", "app", "caller-" + (i % 100));
			if (this.first.tryConsume(caller, PER_DAY)) {
				this.first.refund(caller, PER_DAY);
			}
			this.first.nanosToWaitForRefill(caller, PER_DAY);
		}
		assertThat(this.database.connections()).isZero();
		assertThat(this.first.synchronizeAll()).isTrue();
		assertThat(this.database.connections()).isOne();
	}

	@Test
	void aBucketThatSpentItsShareIsSynchronizedBeforeTheInterval() throws Exception {
		consume(this.first, PER_DAY, 49);
		assertThat(this.first.synchronizeEarly(Duration.ZERO)).isFalse();
		consume(this.first, PER_DAY, 1);
		assertThat(this.first.synchronizeEarly(Duration.ofSeconds(1))).isTrue();
		assertThat(consumedInDatabase()).isEqualTo(50);
	}

	@Test
	void withoutTheDatabaseAReplicaKeepsCountingInMemory() {
		LimitsProperties.Limit limit = new LimitsProperties.Limit(20, Duration.ofDays(1));
		this.database.down();
		assertThat(consume(this.first, limit, 10)).isEqualTo(10);
		assertThat(this.first.synchronizeAll()).isFalse();
		assertThat(consume(this.first, limit, 100)).isEqualTo(10);
		assertThat(this.first.tryConsume(KEY, limit)).isFalse();
	}

	@Test
	void whenTheDatabaseIsBackReplicasShareAgain() {
		this.database.down();
		consume(this.first, PER_DAY, 300);
		assertThat(this.first.synchronizeAll()).isFalse();
		this.database.up();
		consume(this.first, PER_DAY, 5);
		assertThat(this.first.synchronizeAll()).isTrue();
		consume(this.second, PER_DAY, 1);
		this.second.synchronizeAll();
		// The first replica's bucket, outage included, is what the second learns.
		assertThat(consume(this.second, PER_DAY, 1000)).isEqualTo(1000 - 305 - 1);
	}

	@Test
	void aRowOutlivesTheRefillOfItsBucket() {
		consume(this.first, PER_DAY, 1);
		this.first.synchronizeAll();
		OffsetDateTime expiresAt = jdbc().sql("select expires_at from rate_limit_consumption")
			.query(OffsetDateTime.class)
			.single();
		assertThat(expiresAt).isAfter(OffsetDateTime.now().plus(PER_DAY.period()));
	}

	@Test
	void rowsNobodyWroteForTheirTimeAreDeleted() throws Exception {
		consume(this.first, PER_DAY, 1);
		consume(this.first, BucketKey.ofCaller("reads", "app-shared", "idle"), PER_DAY, 1);
		this.first.synchronizeAll();
		TestDatabase.execute(this.url,
				"update rate_limit_consumption set expires_at = now() - interval '1 second' where consumed = 1 "
						+ "and key = (select min(key) from rate_limit_consumption)");
		this.first.forgetIdle();
		assertThat(jdbc().sql("select count(*) from rate_limit_consumption").query(Long.class).single()).isOne();
	}

	private static long consume(SharedBuckets buckets, LimitsProperties.Limit limit, int requests) {
		return consume(buckets, KEY, limit, requests);
	}

	private static long consume(SharedBuckets buckets, BucketKey key, LimitsProperties.Limit limit, int requests) {
		long admitted = 0;
		for (int i = 0; i < requests; i++) {
			if (buckets.tryConsume(key, limit)) {
				admitted++;
			}
		}
		return admitted;
	}

	private long consumedInDatabase() {
		return jdbc().sql("select consumed from rate_limit_consumption").query(Long.class).single();
	}

	private JdbcClient jdbc() {
		return JdbcClient.create(plainDataSource());
	}

	private SimpleDriverDataSource plainDataSource() {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), this.url, TestDatabase.username(),
				TestDatabase.password());
	}

}
