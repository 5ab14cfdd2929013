package io.tokenbroker.refresh;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.connection.DueConnection;
import io.tokenbroker.connection.RefreshOutcome;
import io.tokenbroker.connection.RefreshPolicy;
import io.tokenbroker.connection.ScheduledRefreshes;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Runs the refreshes of claimed connections on the background refresher's threads, lane by provider
 * ({@link ProviderLanes}): starts what a provider's limit allows, pauses a provider that asks to slow down, and gives
 * back what may not run now (the provider is paused, or the refresher is stopping).
 */
class RefreshDispatcher {

	private static final Logger log = LoggerFactory.getLogger(RefreshDispatcher.class);

	private final ScheduledRefreshes work;

	private final RefreshPolicy policy;

	private final ProviderLanes lanes;

	/** False once the refresher stops: what waits is then given back instead of started. */
	private final BooleanSupplier keep;

	/** Tells the claim loop that claiming more may be worth it now. */
	private final Runnable wakeUp;

	private volatile ThreadPoolExecutor executor;

	RefreshDispatcher(ScheduledRefreshes work, RefreshPolicy policy, ProviderLanes lanes, BooleanSupplier keep,
			Runnable wakeUp) {
		this.work = work;
		this.policy = policy;
		this.lanes = lanes;
		this.keep = keep;
		this.wakeUp = wakeUp;
	}

	/**
	 * Starts the refresh threads: up to {@code threads}, each ending after 30 seconds without work. Virtual ones
	 * (JDK 21+) free their carrier while the provider call waits, so a high {@code max-concurrent} costs no platform
	 * thread per call. Either way the lanes, not the pool, bound what runs: the pool is only as large as that bound.
	 */
	void start(int threads, boolean virtual) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = virtual ? new VirtualThreadTaskExecutor("refresh-").getVirtualThreadFactory()
				: (r) -> RefreshScheduler.daemon(r, "refresh-" + count.incrementAndGet());
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), factory);
		pool.allowCoreThreadTimeOut(true);
		this.executor = pool;
	}

	/**
	 * After the claim loop has ended: gives back everything claimed and not started, and waits up to a minute for the
	 * refreshes in flight.
	 */
	void finish() throws InterruptedException {
		giveBack(this.lanes.drainWaiting(), null);
		ThreadPoolExecutor pool = this.executor;
		pool.shutdown();
		if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
			log.warn("Refreshes still running at shutdown; their leases run out on their own");
		}
	}

	/** Queues freshly claimed connections in their providers' lanes and starts what may start. */
	void accept(List<DueConnection> claimed) {
		this.lanes.add(claimed);
		Set<String> providers = new LinkedHashSet<>();
		claimed.forEach((c) -> providers.add(c.provider()));
		providers.forEach(this::dispatch);
	}

	/** Starts what the provider's limit allows, or gives everything back while it is paused or we are stopping. */
	private void dispatch(String provider) {
		ProviderLanes.Dispatch next = this.lanes.next(provider, this.keep.getAsBoolean());
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
			this.wakeUp.run();
		}
	}

	private void run(DueConnection connection) {
		try {
			RefreshOutcome outcome = this.work.refreshScheduled(connection.id());
			if (outcome.result() == RefreshOutcome.Result.RATE_LIMITED) {
				Instant until = this.lanes.pause(connection.provider(),
						this.policy.providerPause(outcome.retryAfter()));
				log.info("Provider {} asked to slow down or is failing; pausing its scheduled refreshes until {}",
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
				this.wakeUp.run();
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

}
