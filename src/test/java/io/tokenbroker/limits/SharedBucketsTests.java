package io.tokenbroker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.github.bucket4j.ConsumptionProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.TestDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Buckets in PostgreSQL without a broker: what happens to a replica's local copy when its row goes away. */
class SharedBucketsTests {

	private static final LimitsProperties.Limit LIMIT = new LimitsProperties.Limit(1000, Duration.ofHours(1));

	private static final BucketKey KEY = BucketKey.ofCaller("reads", "app-shared", "caller");

	private String url;

	private DataSource dataSource;

	@BeforeEach
	void bucketTable() throws Exception {
		this.url = TestDatabase.newDatabase("limits_shared");
		TestDatabase.execute(this.url, "create table rate_limit_buckets (id text primary key, state bytea, expires_at bigint)");
		this.dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), this.url, TestDatabase.username(),
				TestDatabase.password());
	}

	@Test
	void aRowRemovedUnderConcurrentRequestsIsRecreatedNotTakenForADatabaseOutage() throws Exception {
		// Every request past the first millisecond synchronizes.
		SharedBuckets buckets = new SharedBuckets(this.dataSource,
				new LimitsSyncProperties(0.5, Duration.ofMillis(1), Duration.ofSeconds(10)));
		assertThat(buckets.tryConsume(KEY, LIMIT).isConsumed()).isTrue();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			for (int round = 0; round < 5; round++) {
				TestDatabase.execute(this.url, "delete from rate_limit_buckets");
				Thread.sleep(5);
				CountDownLatch start = new CountDownLatch(1);
				List<Future<ConsumptionProbe>> probes = new ArrayList<>();
				for (int i = 0; i < 32; i++) {
					probes.add(pool.submit(() -> {
						start.await();
						return buckets.tryConsume(KEY, LIMIT);
					}));
				}
				start.countDown();
				for (Future<ConsumptionProbe> probe : probes) {
					assertThat(probe.get().isConsumed()).isTrue();
				}
				assertThat(buckets.countingLocally()).as("counting in memory as if the database were down (round %d)", round)
					.isFalse();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(rows()).isEqualTo(1);
	}

	@Test
	void aRowOutlivesTheTimeAReplicaMayActOnItsLocalCopy() {
		SharedBuckets buckets = new SharedBuckets(this.dataSource,
				new LimitsSyncProperties(0.05, Duration.ofMinutes(1), Duration.ofSeconds(10)));
		long before = System.currentTimeMillis();
		assertThat(buckets.tryConsume(KEY, LIMIT).isConsumed()).isTrue();
		long expiresAt = JdbcClient.create(this.dataSource)
			.sql("select expires_at from rate_limit_buckets")
			.query(Long.class)
			.single();
		assertThat(expiresAt - before).isGreaterThan(Duration.ofMinutes(1).toMillis());
	}

	private long rows() {
		return JdbcClient.create(this.dataSource).sql("select count(*) from rate_limit_buckets").query(Long.class).single();
	}

}
