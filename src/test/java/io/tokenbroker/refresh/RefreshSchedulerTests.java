package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.connection.DueConnection;
import io.tokenbroker.connection.RefreshBacklog;
import io.tokenbroker.connection.RefreshOutcome;
import io.tokenbroker.connection.RefreshOutcome.Result;
import io.tokenbroker.connection.RefreshPolicy;
import io.tokenbroker.connection.RefreshProperties;
import io.tokenbroker.connection.ScheduledRefreshes;
import io.tokenbroker.support.VirtualThreads;

/** How the background refresher hands out work: per-provider limits, 429 pauses, and shutdown. */
class RefreshSchedulerTests {

	private RefreshScheduler scheduler;

	@AfterEach
	void stop() {
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
	}

	@Test
	void neverRunsMoreThanTheLimitOfRefreshesPerProviderAtOnce() throws Exception {
		FakeWork work = new FakeWork((id) -> {
			sleep(15);
			return RefreshOutcome.Result.REFRESHED;
		});
		work.due("google", 60);
		work.due("slack", 40);
		this.scheduler = start(work, 10, 3);
		work.awaitFinished(100);
		assertThat(work.maxRunning("google")).isEqualTo(3);
		assertThat(work.maxRunning("slack")).isEqualTo(3);
		assertThat(work.refreshedTwice()).isEmpty();
		assertThat(this.scheduler.outstanding()).isZero();
	}

	@Test
	void withSpringsVirtualThreadsOnRefreshesRunOnVirtualThreadsWithinTheSameLimits() throws Exception {
		List<Thread> threads = new CopyOnWriteArrayList<>();
		FakeWork work = new FakeWork((id) -> {
			threads.add(Thread.currentThread());
			sleep(15);
			return Result.REFRESHED;
		});
		work.due("google", 60);
		work.due("slack", 40);
		this.scheduler = start(work, 10, 3, true);
		work.awaitFinished(100);
		assertThat(work.maxRunning("google")).isEqualTo(3);
		assertThat(work.maxRunning("slack")).isEqualTo(3);
		assertThat(work.refreshedTwice()).isEmpty();
		// On JDK 17 the switch is ignored, as Spring Boot ignores it there: the refreshes run on platform threads.
		assertThat(threads).hasSize(100)
			.allSatisfy((t) -> assertThat(VirtualThreads.isVirtual(t)).as("%s is virtual", t)
				.isEqualTo(VirtualThreads.supported()));
	}

	@Test
	void withSpringsVirtualThreadsOnStopStillLetsRunningRefreshesFinish() throws Exception {
		stopGivesBackWaitingConnectionsAndLetsRunningRefreshesFinish(true);
	}

	@Test
	void rateLimitedProviderIsPausedAndItsWaitingConnectionsAreGivenBackUntilThen() throws Exception {
		FakeWork work = new FakeWork((id) -> id.startsWith("google") ? Result.RATE_LIMITED : Result.REFRESHED);
		work.retryAfter = Duration.ofMinutes(10);
		work.due("google", 5);
		work.due("slack", 5);
		Instant before = Instant.now();
		this.scheduler = start(work, 10, 1);
		work.awaitFinished(6);
		awaitUntil(() -> work.released.size() == 4);
		// One call to google: its 429 paused google; the four waiting were given back, not called.
		assertThat(work.started.stream().filter((id) -> id.startsWith("google"))).hasSize(1);
		assertThat(work.released.values()).allSatisfy((notBefore) -> assertThat(notBefore)
			.hasValueSatisfying((t) -> assertThat(t).isAfter(before.plus(Duration.ofMinutes(9)))));
		work.due("google", 3);
		Thread.sleep(300);
		assertThat(work.lastSkip).contains("google");
		assertThat(work.started.stream().filter((id) -> id.startsWith("google"))).hasSize(1);
	}

	@Test
	void stopGivesBackWaitingConnectionsAndLetsRunningRefreshesFinish() throws Exception {
		stopGivesBackWaitingConnectionsAndLetsRunningRefreshesFinish(false);
	}

	@Test
	void claimsNoMoreThanItsConcurrencyAllows() throws Exception {
		CountDownLatch provider = new CountDownLatch(1);
		FakeWork work = new FakeWork((id) -> {
			await(provider);
			return Result.REFRESHED;
		});
		work.due("google", 50);
		this.scheduler = start(work, 8, 8);
		awaitUntil(() -> work.started.size() == 8);
		Thread.sleep(200);
		assertThat(work.claimed).hasSize(8);
		provider.countDown();
		work.awaitFinished(50);
	}

	@Test
	void aPausedProviderIsNotClaimedForUntilItsPauseEnds() throws Exception {
		FakeWork work = new FakeWork((id) -> Result.REFRESHED);
		work.paused.add("google");
		work.due("google", 3);
		work.due("slack", 3);
		this.scheduler = start(work, 10, 3);
		work.awaitFinished(3);
		Thread.sleep(200);
		// Not claimed, so neither called nor counted as failed: postponed.
		assertThat(work.lastSkip).contains("google");
		assertThat(work.claimed).noneMatch((id) -> id.startsWith("google"));
		// The breaker lets trial calls through: claimed again.
		work.paused.clear();
		work.awaitFinished(6);
		assertThat(work.refreshedTwice()).isEmpty();
	}

	private void stopGivesBackWaitingConnectionsAndLetsRunningRefreshesFinish(boolean virtualThreads)
			throws Exception {
		CountDownLatch provider = new CountDownLatch(1);
		FakeWork work = new FakeWork((id) -> {
			await(provider);
			return Result.REFRESHED;
		});
		work.due("google", 3);
		this.scheduler = start(work, 10, 1, virtualThreads);
		awaitUntil(() -> work.started.size() == 1);
		CountDownLatch stopped = new CountDownLatch(1);
		this.scheduler.stop(stopped::countDown);
		awaitUntil(() -> work.released.size() == 2);
		assertThat(work.released.values()).allSatisfy((notBefore) -> assertThat(notBefore).isEmpty());
		assertThat(stopped.await(300, TimeUnit.MILLISECONDS)).as("stop waits for the running refresh").isFalse();
		provider.countDown();
		assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(work.finished).hasSize(1);
		assertThat(work.started).hasSize(1);
		this.scheduler = null;
	}

	private static RefreshScheduler start(FakeWork work, int maxConcurrent, int perProvider) {
		return start(work, maxConcurrent, perProvider, false);
	}

	private static RefreshScheduler start(FakeWork work, int maxConcurrent, int perProvider, boolean virtualThreads) {
		RefreshProperties refresh = new RefreshProperties(Duration.ofSeconds(60), Duration.ofMinutes(5),
				Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(30),
				Duration.ofMinutes(30));
		RefreshSchedulerProperties scheduling = new RefreshSchedulerProperties(true, Duration.ofMillis(50), 20,
				maxConcurrent, perProvider);
		RefreshScheduler scheduler = new RefreshScheduler(work, scheduling, new RefreshPolicy(refresh),
				Clock.systemUTC(), new SimpleMeterRegistry(), VirtualThreads.environment(virtualThreads));
		scheduler.start();
		return scheduler;
	}

	private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Due connections in memory; records what the scheduler does with them. */
	static final class FakeWork implements ScheduledRefreshes {

		final List<DueConnection> due = new ArrayList<>();

		final List<String> claimed = new CopyOnWriteArrayList<>();

		final List<String> started = new CopyOnWriteArrayList<>();

		final List<String> finished = new CopyOnWriteArrayList<>();

		final Map<String, Optional<Instant>> released = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> maxRunning = new ConcurrentHashMap<>();

		volatile Collection<String> lastSkip = List.of();

		final Set<String> paused = ConcurrentHashMap.newKeySet();

		volatile Duration retryAfter;

		private final Function<String, Result> refresh;

		FakeWork(Function<String, Result> refresh) {
			this.refresh = refresh;
		}

		synchronized void due(String provider, int count) {
			int offset = (int) this.due.stream().filter((c) -> c.provider().equals(provider)).count()
					+ (int) this.claimed.stream().filter((id) -> id.startsWith(provider)).count();
			for (int i = 0; i < count; i++) {
				this.due.add(new DueConnection(provider + "-" + (offset + i), provider));
			}
		}

		@Override
		public Set<String> pausedProviders() {
			return Set.copyOf(this.paused);
		}

		@Override
		public synchronized List<DueConnection> claimDue(int limit, Collection<String> skipProviders) {
			this.lastSkip = List.copyOf(skipProviders);
			List<DueConnection> batch = new ArrayList<>();
			for (DueConnection c : List.copyOf(this.due)) {
				if (batch.size() < limit && !skipProviders.contains(c.provider())) {
					batch.add(c);
					this.due.remove(c);
					this.claimed.add(c.id());
				}
			}
			return batch;
		}

		@Override
		public RefreshOutcome refreshScheduled(String id) {
			String provider = id.substring(0, id.indexOf('-'));
			this.started.add(id);
			int now = this.running.computeIfAbsent(provider, (p) -> new AtomicInteger()).incrementAndGet();
			this.maxRunning.computeIfAbsent(provider, (p) -> new AtomicInteger()).accumulateAndGet(now, Math::max);
			try {
				Result result = this.refresh.apply(id);
				return new RefreshOutcome(result, (result == Result.RATE_LIMITED) ? this.retryAfter : null);
			}
			finally {
				this.running.get(provider).decrementAndGet();
				this.finished.add(id);
			}
		}

		@Override
		public void releaseClaim(String id, Instant notBefore) {
			this.released.put(id, Optional.ofNullable(notBefore));
		}

		@Override
		public RefreshBacklog backlog() {
			return new RefreshBacklog(this.due.size(), null);
		}

		int maxRunning(String provider) {
			return this.maxRunning.getOrDefault(provider, new AtomicInteger()).get();
		}

		List<String> refreshedTwice() {
			return this.started.stream().filter((id) -> this.started.indexOf(id) != this.started.lastIndexOf(id)).toList();
		}

		void awaitFinished(int count) throws InterruptedException {
			awaitUntil(() -> this.finished.size() >= count);
		}

	}

}
