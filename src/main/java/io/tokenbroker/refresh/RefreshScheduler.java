package io.tokenbroker.refresh;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.connection.DueConnection;
import io.tokenbroker.connection.RefreshOutcome;
import io.tokenbroker.connection.RefreshPolicy;
import io.tokenbroker.connection.RefreshProperties;
import io.tokenbroker.connection.ScheduledRefreshes;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The background refresher: claims due connections in batches (so replicas share the work), queues them per provider,
 * and runs at most {@code max-concurrent-per-provider} refresh calls per provider at once. A provider that answers
 * 429 or Retry-After is paused on this replica: its waiting connections are given back with a not-before time, and it
 * is not claimed for until the pause ends. What a refresh means is {@link ScheduledRefreshes}'s business.
 * <p>
 * On shutdown it stops claiming, gives back the connections it claimed but has not started (another replica takes
 * them at once) and lets the refreshes in flight finish.
 */
@Component
class RefreshScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);

	private final ScheduledRefreshes work;

	private final RefreshProperties properties;

	private final RefreshPolicy policy;

	private final ProviderLanes lanes;

	/** Released when capacity frees up or on stop; the claim loop waits on it. */
	private final Semaphore wakeups = new Semaphore(0);

	private volatile boolean running;

	private Thread loop;

	private ThreadPoolExecutor executor;

	RefreshScheduler(ScheduledRefreshes work, RefreshProperties properties, RefreshPolicy policy, Clock clock,
			MeterRegistry metrics) {
		this.work = work;
		this.properties = properties;
		this.policy = policy;
		this.lanes = new ProviderLanes(properties.maxConcurrentPerProvider(), properties.maxConcurrent(), clock);
		Gauge.builder("broker.refresh.in.flight", this.lanes, ProviderLanes::outstanding)
			.description("Connections this replica's background refresher has claimed and not finished")
			.register(metrics);
	}

	@Override
	public boolean isAutoStartup() {
		return this.properties.schedulerEnabled();
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		int threads = this.properties.maxConcurrent();
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(r) -> daemon(r, "refresh-" + count.incrementAndGet()));
		this.executor.allowCoreThreadTimeOut(true);
		this.loop = daemon(this::claimLoop, "refresh-scheduler");
		this.loop.start();
	}

	@Override
	public void stop() {
		CountDownLatch done = new CountDownLatch(1);
		stop(done::countDown);
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		Thread loopThread;
		ThreadPoolExecutor pool;
		synchronized (this) {
			if (!this.running) {
				callback.run();
				return;
			}
			this.running = false;
			loopThread = this.loop;
			pool = this.executor;
		}
		this.wakeups.release();
		daemon(() -> {
			try {
				loopThread.join();
				giveBack(this.lanes.drainWaiting(), null);
				pool.shutdown();
				if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
					log.warn("Refreshes still running at shutdown; their leases run out on their own");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				callback.run();
			}
		}, "refresh-scheduler-stop").start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	int outstanding() {
		return this.lanes.outstanding();
	}

	private void claimLoop() {
		while (this.running) {
			boolean more;
			try {
				more = claimRound();
			}
			catch (RuntimeException ex) {
				log.warn("Claiming due connections failed: {}", ex.toString());
				more = false;
			}
			if (!more) {
				awaitWakeup();
			}
		}
	}

	/** Claims one batch; returns whether another round should follow at once (the batch was full). */
	private boolean claimRound() {
		int want = Math.min(this.properties.batchSize(), this.lanes.room());
		if (want <= 0 || !this.running) {
			return false;
		}
		List<DueConnection> claimed = this.work.claimDue(want, this.lanes.skipped());
		this.lanes.add(claimed);
		Set<String> providers = new LinkedHashSet<>();
		claimed.forEach((c) -> providers.add(c.provider()));
		providers.forEach(this::dispatch);
		return claimed.size() == want;
	}

	/** Starts what the provider's limit allows, or gives everything back while it is paused or we are stopping. */
	private void dispatch(String provider) {
		ProviderLanes.Dispatch next = this.lanes.next(provider, this.running);
		giveBack(next.giveBack(), next.notBefore());
		for (DueConnection connection : next.start()) {
			try {
				this.executor.execute(() -> run(connection));
			}
			catch (RejectedExecutionException ex) {
				this.lanes.finished(provider);
				giveBack(List.of(connection), null);
			}
		}
		if (!next.giveBack().isEmpty()) {
			this.wakeups.release();
		}
	}

	private void run(DueConnection connection) {
		try {
			RefreshOutcome outcome = this.work.refreshScheduled(connection.id());
			if (outcome.result() == RefreshOutcome.Result.RATE_LIMITED) {
				Instant until = this.lanes.pause(connection.provider(),
						this.policy.providerPause(outcome.retryAfter()));
				log.info("Provider {} asked to slow down; pausing its scheduled refreshes until {}",
						connection.provider(), until);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Scheduled refresh of connection {} failed: {}", connection.id(), ex.toString());
		}
		finally {
			boolean claimMore = this.lanes.finished(connection.provider());
			dispatch(connection.provider());
			if (claimMore) {
				this.wakeups.release();
			}
		}
	}

	private void giveBack(List<DueConnection> connections, Instant notBefore) {
		for (DueConnection connection : connections) {
			try {
				this.work.releaseClaim(connection.id(), notBefore);
			}
			catch (RuntimeException ex) {
				// The lease runs out on its own.
				log.warn("Could not give back connection {}: {}", connection.id(), ex.toString());
			}
		}
	}

	private void awaitWakeup() {
		try {
			this.wakeups.tryAcquire(this.properties.schedulerInterval().toMillis(), TimeUnit.MILLISECONDS);
			this.wakeups.drainPermits();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

}
