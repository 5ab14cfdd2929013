package io.tokenbroker.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Writes what came of delivery attempts, many in one commit. Sending threads hand their outcome over and go on
 * sending; this thread commits whatever queued up while the previous commit ran (a group commit), so a draining
 * backlog costs the database one transaction per batch rather than one per delivery, and an idle queue adds no
 * waiting. An outcome not yet written when the replica dies dies with it: the delivery's lease runs out and it is
 * sent again, with the same webhook-id (at least once, as before).
 */
@Component
class OutcomeWriter {

	private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

	private static final int MAX_BATCH = 500;

	private final DeliveryStore store;

	private final DeliverySignal signal;

	private final BlockingQueue<DeliveryStore.Recorded> queue;

	private volatile boolean running;

	private Thread writer;

	OutcomeWriter(DeliveryStore store, DeliverySignal signal, WebhookProperties properties) {
		this.store = store;
		this.signal = signal;
		// Bounded: when the database falls behind, senders wait here instead of piling up outcomes in memory.
		this.queue = new ArrayBlockingQueue<>(Math.max(64, properties.concurrency() * 8));
	}

	void start() {
		this.running = true;
		this.writer = new Thread(this::run, "webhook-outcome-writer");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	void add(DeliveryStore.Recorded recorded) throws InterruptedException {
		this.queue.put(recorded);
	}

	private void run() {
		List<DeliveryStore.Recorded> batch = new ArrayList<>();
		while (this.running || !this.queue.isEmpty()) {
			try {
				DeliveryStore.Recorded first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, MAX_BATCH - 1);
				write(batch);
				batch.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void write(List<DeliveryStore.Recorded> batch) {
		try {
			this.store.record(batch);
			// Later deliveries of the same connections may be free to go now.
			this.signal.wake();
		}
		catch (RuntimeException ex) {
			// The leases run out and the deliveries are sent again; nothing is lost.
			log.warn("Could not record {} webhook delivery outcomes: {}", batch.size(), ex.getClass().getSimpleName());
		}
	}

	/** Writes what is queued and stops; called once the senders have stopped. */
	void stop(long timeoutMillis) {
		this.running = false;
		if (this.writer == null) {
			return;
		}
		try {
			this.writer.join(timeoutMillis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
