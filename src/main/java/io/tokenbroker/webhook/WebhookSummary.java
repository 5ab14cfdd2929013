package io.tokenbroker.webhook;

import java.util.List;

import org.springframework.stereotype.Component;

/** One app's webhook endpoints and most recent deliveries, for the operator console. */
@Component
public class WebhookSummary {

	private final EndpointStore endpoints;

	private final DeliveryLog log;

	WebhookSummary(EndpointStore endpoints, DeliveryLog log) {
		this.endpoints = endpoints;
		this.log = log;
	}

	public record Summary(List<Endpoint> endpoints, List<DeliveryLog.DeliveryEntry> recentDeliveries) {
	}

	public Summary read(String appId, int recent) {
		return new Summary(this.endpoints.list(appId), this.log.recent(appId, recent));
	}

}
