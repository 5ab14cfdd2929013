package io.tokenbroker.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.tokenbroker.crypto.TokenCipher.DecryptionException;

import org.springframework.stereotype.Component;

/**
 * Sends one claimed delivery and writes down what came of it: in the delivery log, on the endpoint's health, and in
 * the metrics {@code broker.webhooks.deliveries{outcome}} (delivered, retrying, given_up) and
 * {@code broker.webhooks.delivery.lag} (event committed to delivered).
 */
@Component
class Delivery {

	private static final Logger log = LoggerFactory.getLogger(Delivery.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final OutcomeWriter outcomes;

	private final EndpointStore endpoints;

	private final EndpointSecrets secrets;

	private final WebhookSender sender;

	private final RetryPolicy retries;

	private final WebhookProperties properties;

	private final MeterRegistry metrics;

	private final Clock clock;

	Delivery(OutcomeWriter outcomes, EndpointStore endpoints, EndpointSecrets secrets, WebhookSender sender,
			RetryPolicy retries, WebhookProperties properties, MeterRegistry metrics, Clock clock) {
		this.outcomes = outcomes;
		this.endpoints = endpoints;
		this.secrets = secrets;
		this.sender = sender;
		this.retries = retries;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	void deliver(DueDelivery due, String owner) {
		Instant now = Instant.now(this.clock);
		if (!due.enabled()) {
			finish(due, owner, new DeliveryStore.Outcome("FAILED", null, "endpoint_disabled", 0, now, null));
			return;
		}
		List<String> signing;
		try {
			signing = this.secrets.signing(due.appId(), due.endpointId(), due.secrets(), now);
		}
		catch (DecryptionException ex) {
			log.warn("The signing secret of webhook endpoint {} does not decrypt; rotate it", due.endpointId());
			failed(due, owner, new WebhookSender.Result(null, "secret_unavailable", 0, null), now);
			return;
		}
		String body = body(due);
		long timestamp = now.getEpochSecond();
		WebhookSender.Result result = this.sender.send(due.url(), due.eventId(), timestamp,
				WebhookSigner.signatures(signing, due.eventId(), timestamp, body), body);
		if (result.delivered()) {
			finish(due, owner,
					new DeliveryStore.Outcome("DELIVERED", result.statusCode(), null, result.latencyMs(), now, null));
			this.metrics.timer("broker.webhooks.delivery.lag")
				.record(Duration.between(due.eventCreatedAt(), Instant.now(this.clock)));
			if (due.endpointFailures() > 0 && this.endpoints.recordSuccess(due.endpointId())) {
				log.info("Webhook endpoint {} of app {} accepts deliveries again", due.endpointId(), due.appId());
			}
		}
		else {
			failed(due, owner, result, now);
		}
	}

	/** The request body: the same bytes on every attempt, so every attempt's signature covers the same content. */
	static String body(DueDelivery due) {
		ObjectNode data = (ObjectNode) JSON.readTree(due.data());
		data.put("sequence", due.sequence());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", due.type());
		body.put("timestamp", due.eventCreatedAt().toString());
		body.put("data", data);
		return JSON.writeValueAsString(body);
	}

	private void failed(DueDelivery due, String owner, WebhookSender.Result result, Instant now) {
		int attempts = due.attempts() + 1;
		Instant next = this.retries.nextAttempt(attempts, result.retryAfter(), due.eventCreatedAt(), now);
		finish(due, owner, new DeliveryStore.Outcome((next != null) ? "PENDING" : "FAILED", result.statusCode(),
				result.error(), result.latencyMs(), now, next));
		if (next == null) {
			log.warn("Gave up webhook delivery {} of event {} to endpoint {} after {} attempts ({})", due.id(),
					due.eventId(), due.endpointId(), attempts, result.error());
		}
		if (this.endpoints.recordFailure(due.endpointId(), this.properties.failingAfter(), now)) {
			log.warn("Webhook endpoint {} of app {} is failing: {} attempts in a row failed, the last with {}",
					due.endpointId(), due.appId(), this.properties.failingAfter(), result.error());
		}
	}

	private void finish(DueDelivery due, String owner, DeliveryStore.Outcome outcome) {
		try {
			this.outcomes.add(new DeliveryStore.Recorded(due, owner, outcome));
		}
		catch (InterruptedException ex) {
			// Shutting down: the lease runs out and another replica sends it again.
			Thread.currentThread().interrupt();
			return;
		}
		String tag = switch (outcome.status()) {
			case "DELIVERED" -> "delivered";
			case "PENDING" -> "retrying";
			default -> "given_up";
		};
		this.metrics.counter("broker.webhooks.deliveries", "outcome", tag).increment();
	}

}
