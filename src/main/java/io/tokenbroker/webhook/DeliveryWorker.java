package io.tokenbroker.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.thread.Threading;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This replica's delivery worker: one thread claims due deliveries, as many as there are free sending slots
 * ({@code broker.webhooks.concurrency}), a pool sends them, and {@link OutcomeWriter} records what came of them. It looks for work when an event commits here, when a
 * slot comes free, and every {@code poll-interval} (events committed on other replicas, retries that came due).
 * <p>
 * The senders are virtual threads when Spring's {@code spring.threads.virtual.enabled} is on and the JVM has them (21
 * and later; ignored on 17, as Spring Boot does): they free their carrier while an endpoint takes its time. The slots
 * bound the deliveries in flight either way; the claiming thread stays a platform thread.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	private final String owner = "webhooks-" + UUID.randomUUID();

	private final DeliveryStore store;

	private final Delivery delivery;

	private final OutcomeWriter outcomes;

	private final DeliverySignal signal;

	private final WebhookProperties properties;

	private final Clock clock;

	private final Semaphore slots;

	private final boolean virtualThreads;

	private volatile boolean running;

	private Thread dispatcher;

	private ExecutorService senders;

	DeliveryWorker(DeliveryStore store, Delivery delivery, OutcomeWriter outcomes, DeliverySignal signal,
			WebhookProperties properties, Clock clock, Environment environment) {
		this.store = store;
		this.delivery = delivery;
		this.outcomes = outcomes;
		this.signal = signal;
		this.properties = properties;
		this.clock = clock;
		this.slots = new Semaphore(properties.concurrency());
		this.virtualThreads = Threading.VIRTUAL.isActive(environment);
	}

	@Override
	public void start() {
		if (!this.properties.deliveryEnabled()) {
			return;
		}
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = this.virtualThreads
				? new VirtualThreadTaskExecutor("webhook-sender-").getVirtualThreadFactory() : (task) -> {
					Thread thread = new Thread(task, "webhook-sender-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				};
		this.senders = Executors.newFixedThreadPool(this.properties.concurrency(), threads);
		this.outcomes.start();
		this.running = true;
		this.dispatcher = new Thread(this::dispatch, "webhook-dispatcher");
		this.dispatcher.setDaemon(true);
		this.dispatcher.start();
	}

	private void dispatch() {
		// While a backlog drains, claim in batches (a quarter of the slots at least) rather than one row per free slot.
		int batch = Math.max(1, this.properties.concurrency() / 4);
		boolean backlog = false;
		while (this.running) {
			try {
				int free = this.slots.availablePermits();
				List<DueDelivery> due = (free >= (backlog ? batch : 1)) ? claim(free) : List.of();
				if (due.isEmpty()) {
					backlog = backlog && free < batch;
					this.signal.await(this.properties.pollInterval());
					continue;
				}
				backlog = due.size() == free;
				for (DueDelivery d : due) {
					this.slots.acquire();
					this.senders.execute(() -> send(d));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private List<DueDelivery> claim(int limit) {
		Instant now = Instant.now(this.clock);
		try {
			return this.store.claim(this.owner, limit, now, now.plus(this.properties.lease()));
		}
		catch (RuntimeException ex) {
			log.warn("Could not claim webhook deliveries: {}", ex.getClass().getSimpleName());
			return List.of();
		}
	}

	private void send(DueDelivery due) {
		try {
			this.delivery.deliver(due, this.owner);
		}
		catch (RuntimeException ex) {
			// The lease runs out and another attempt follows; nothing is lost.
			log.warn("Webhook delivery {} failed on our side: {}", due.id(), ex.getClass().getSimpleName());
		}
		finally {
			this.slots.release();
			this.signal.wake();
		}
	}

	/** Deletes events past {@code broker.webhooks.retention} that nothing waits to deliver. */
	@Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
	void purge() {
		int purged = this.store.purge(Instant.now(this.clock).minus(this.properties.retention()));
		if (purged > 0) {
			log.info("Purged {} webhook events past their retention", purged);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.dispatcher != null) {
			this.dispatcher.interrupt();
		}
		if (this.senders != null) {
			this.senders.shutdown();
			try {
				this.senders.awaitTermination(this.properties.readTimeout().toSeconds() + 1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.outcomes.stop(5_000);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
