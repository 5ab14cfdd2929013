package io.tokenbroker.limits;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The one thread per replica that synchronizes {@link SharedBuckets}: all buckets every
 * {@code max-unsynchronized-time}, a bucket that passed its early-sync share in between, and after a failure nothing
 * for {@code fallback-time}. Stopping synchronizes once more, so that the others learn this replica's last
 * consumption. Buckets in memory only ({@link LocalBuckets}) have nothing to synchronize: then it starts no thread.
 */
final class BucketSync implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BucketSync.class);

	private final SharedBuckets buckets;

	private final Duration interval;

	private final Duration retryAfterFailure;

	private volatile boolean running;

	private volatile Thread thread;

	BucketSync(BucketStore buckets, LimitsSyncProperties sync) {
		this.buckets = (buckets instanceof SharedBuckets shared) ? shared : null;
		this.interval = sync.maxUnsynchronizedTime();
		this.retryAfterFailure = sync.fallbackTime();
	}

	@Override
	public void start() {
		this.running = true;
		if (this.buckets == null) {
			return;
		}
		Thread started = new Thread(this::run, "rate-limit-sync");
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread running = this.thread;
		this.thread = null;
		if (running != null) {
			running.interrupt();
			try {
				running.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (!this.buckets.databaseFailing()) {
				// Not while the database does not answer: waiting for a connection would hold up the shutdown.
				this.buckets.synchronizeAll();
			}
		}
	}

	/**
	 * Started before and stopped after the web server (whose phases are a little below the default): requests served
	 * during a graceful shutdown are in the final synchronization.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		long nextAll = System.nanoTime() + this.interval.toNanos();
		while (this.thread == Thread.currentThread()) {
			try {
				long untilAll = nextAll - System.nanoTime();
				boolean answered;
				if (untilAll > 0) {
					answered = this.buckets.synchronizeEarly(Duration.ofNanos(untilAll))
							|| !this.buckets.databaseFailing();
				}
				else {
					answered = this.buckets.synchronizeAll();
					nextAll = System.nanoTime() + this.interval.toNanos();
				}
				if (!answered) {
					Thread.sleep(this.retryAfterFailure.toMillis());
					nextAll = System.nanoTime();
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				log.error("Rate-limit synchronization failed; retrying in {}", this.retryAfterFailure, ex);
				nextAll = System.nanoTime() + this.retryAfterFailure.toNanos();
			}
		}
	}

}
