package io.tokenbroker.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of the shared queue, sampled every 15 s (a scrape never waits on the database):
 * {@code broker.webhooks.queue.depth} (pending deliveries), {@code broker.webhooks.queue.oldest.age} (seconds since
 * the oldest pending delivery's event) and {@code broker.webhooks.endpoints.failing}. Every replica reports the same
 * totals: aggregate with {@code max}.
 */
@Component
class WebhookGauges implements MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(WebhookGauges.class);

	private final DeliveryStore store;

	private final Clock clock;

	private volatile DeliveryStore.Backlog backlog = new DeliveryStore.Backlog(0, null);

	private volatile long failing;

	WebhookGauges(DeliveryStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("broker.webhooks.queue.depth", this, (g) -> g.backlog.pending())
			.description("Webhook deliveries waiting to be sent (first attempt or retry), across all apps")
			.register(registry);
		Gauge.builder("broker.webhooks.queue.oldest.age", this, WebhookGauges::oldestAgeSeconds)
			.description("Seconds since the event of the oldest pending webhook delivery was committed")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("broker.webhooks.endpoints.failing", this, (g) -> g.failing)
			.description("Webhook endpoints whose deliveries fail persistently")
			.register(registry);
	}

	@Scheduled(initialDelayString = "PT2S", fixedDelayString = "PT15S")
	void sample() {
		try {
			this.backlog = this.store.backlog();
			this.failing = this.store.failingEndpoints();
		}
		catch (RuntimeException ex) {
			log.debug("Could not sample the webhook queue: {}", ex.getClass().getSimpleName());
		}
	}

	private double oldestAgeSeconds() {
		Instant oldest = this.backlog.oldestCreatedAt();
		return (oldest != null) ? Math.max(0, Duration.between(oldest, Instant.now(this.clock)).toMillis() / 1000.0)
				: 0;
	}

}
