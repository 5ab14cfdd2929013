package io.tokenbroker.refresh;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.connection.DueConnection;
import io.tokenbroker.connection.RefreshPolicy;
import io.tokenbroker.connection.ScheduledRefreshes;

import org.springframework.boot.thread.Threading;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The background refresher: claims due connections in batches (so replicas share the work), queues them per provider,
 * and runs at most {@code max-concurrent-per-provider} refresh calls per provider at once. A provider that answers
 * 429 or Retry-After is paused on this replica: its waiting connections are given back with a not-before time, and it
 * is not claimed for until the pause ends ({@link RefreshDispatcher}); so is a provider whose circuit breaker is open
 * ({@link ScheduledRefreshes#pausedProviders()}), until it lets trial calls through. What a refresh means is
 * {@link ScheduledRefreshes}'s business.
 * <p>
 * On shutdown it stops claiming, gives back the connections it claimed but has not started (another replica takes
 * them at once) and lets the refreshes in flight finish.
 * <p>
 * The refreshes run on virtual threads when Spring's {@code spring.threads.virtual.enabled} is on and the JVM has
 * them (21 and later; ignored on 17, as Spring Boot does); the claim loop keeps a platform thread of its own.
 */
@Component
class RefreshScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);

	private final ScheduledRefreshes work;

	private final RefreshSchedulerProperties properties;

	private final ProviderLanes lanes;

	private final RefreshDispatcher dispatcher;

	private final boolean virtualThreads;

	/** Released when capacity frees up or on stop; the claim loop waits on it. */
	private final Semaphore wakeups = new Semaphore(0);

	private volatile boolean running;

	private Thread loop;

	RefreshScheduler(ScheduledRefreshes work, RefreshSchedulerProperties properties, RefreshPolicy policy,
			Clock clock, MeterRegistry metrics, Environment environment) {
		this.work = work;
		this.properties = properties;
		this.virtualThreads = Threading.VIRTUAL.isActive(environment);
		this.lanes = new ProviderLanes(properties.maxConcurrentPerProvider(), properties.maxConcurrent(), clock);
		this.dispatcher = new RefreshDispatcher(work, policy, this.lanes, this::isRunning, this.wakeups::release);
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
		this.dispatcher.start(this.properties.maxConcurrent(), this.virtualThreads);
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
		synchronized (this) {
			if (!this.running) {
				callback.run();
				return;
			}
			this.running = false;
			loopThread = this.loop;
		}
		this.wakeups.release();
		daemon(() -> {
			try {
				loopThread.join();
				this.dispatcher.finish();
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
		Set<String> skip = new HashSet<>(this.lanes.skipped());
		skip.addAll(this.work.pausedProviders());
		List<DueConnection> claimed = this.work.claimDue(want, skip);
		this.dispatcher.accept(claimed);
		return claimed.size() == want;
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

	static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

}
