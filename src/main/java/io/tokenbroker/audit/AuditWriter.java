package io.tokenbroker.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Moves audit records from a bounded in-memory buffer to the database on one background thread, in batches. A batch
 * that cannot be written is kept and retried with backoff, never dropped: while the database refuses, the buffer fills
 * up, and a full buffer makes {@link AuditTrail} refuse work (fail closed) instead of losing records.
 * <p>
 * It stops after the web server (lower phase), so the records of the last requests are written before the pool closes.
 */
@Component
class AuditWriter implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

	private static final Duration POLL = Duration.ofMillis(200);

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private final BlockingQueue<AuditEvent> buffer;

	private final AuditStore store;

	private final AuditProperties properties;

	private final Counter written;

	private final Counter writeFailures;

	private volatile boolean running;

	private volatile Thread thread;

	AuditWriter(AuditStore store, AuditProperties properties, MeterRegistry metrics) {
		this.buffer = new ArrayBlockingQueue<>(properties.bufferCapacity());
		this.store = store;
		this.properties = properties;
		this.written = Counter.builder("broker.audit.written").description("Audit records written").register(metrics);
		this.writeFailures = Counter.builder("broker.audit.write.failures")
			.description("Failed attempts to write a batch of audit records (the batch is retried)")
			.register(metrics);
		Gauge.builder("broker.audit.buffered", this.buffer, BlockingQueue::size)
			.description("Audit records waiting to be written")
			.register(metrics);
	}

	/** Buffers a record, waiting up to {@code wait} for room; false when the buffer stayed full. */
	boolean offer(AuditEvent event, Duration wait) {
		try {
			return this.buffer.offer(event, wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	boolean hasRoom() {
		return this.buffer.remainingCapacity() > 0;
	}

	@Override
	public void start() {
		this.running = true;
		Thread worker = new Thread(this::run, "audit-writer");
		worker.setDaemon(true);
		this.thread = worker;
		worker.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread worker = this.thread;
		if (worker != null) {
			try {
				worker.join(this.properties.shutdownTimeout().toMillis() + POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (worker.isAlive()) {
				worker.interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	private void run() {
		List<AuditEvent> batch = new ArrayList<>(this.properties.batchSize());
		Duration retry = FIRST_RETRY;
		long stopDeadline = Long.MAX_VALUE;
		boolean failing = false;
		while (true) {
			if (!this.running && stopDeadline == Long.MAX_VALUE) {
				stopDeadline = System.nanoTime() + this.properties.shutdownTimeout().toNanos();
			}
			if (batch.isEmpty() && !take(batch)) {
				if (!this.running) {
					return;
				}
				continue;
			}
			try {
				this.store.insert(batch);
				this.written.increment(batch.size());
				batch.clear();
				retry = FIRST_RETRY;
				if (failing) {
					log.info("Audit records are being written again");
					failing = false;
				}
			}
			catch (RuntimeException | Error ex) {
				// Whatever went wrong, this thread must live on: a dead writer would silently refuse every read.
				this.writeFailures.increment();
				if (!failing) {
					log.warn("Audit records cannot be written ({}); retrying, {} buffered", ex.getClass().getSimpleName(),
							this.buffer.size());
					failing = true;
				}
				if (System.nanoTime() > stopDeadline) {
					log.error("Shutting down with {} audit records unwritten", batch.size() + this.buffer.size());
					return;
				}
				sleep(retry);
				retry = min(retry.multipliedBy(2), this.properties.maxRetryDelay());
			}
		}
	}

	/**
	 * Waits briefly for a first record, lets more gather for the linger time (a busy broker then writes a few large
	 * batches instead of many small ones), then takes what is buffered, up to the batch size.
	 */
	private boolean take(List<AuditEvent> batch) {
		try {
			AuditEvent first = this.buffer.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
			if (first == null) {
				return false;
			}
			batch.add(first);
			if (this.running && !this.properties.linger().isZero()
					&& this.buffer.size() < this.properties.batchSize() - 1) {
				Thread.sleep(this.properties.linger().toMillis());
			}
			this.buffer.drainTo(batch, this.properties.batchSize() - 1);
			if (this.properties.logJson()) {
				AuditJsonLog.write(batch);
			}
			return true;
		}
		catch (InterruptedException ex) {
			// Only stop() may end this thread (it clears running first); any other interrupt is ignored, or every
			// later poll would fail at once and the writer would spin without writing.
			if (!this.running) {
				Thread.currentThread().interrupt();
			}
			return false;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) < 0) ? a : b;
	}

}
