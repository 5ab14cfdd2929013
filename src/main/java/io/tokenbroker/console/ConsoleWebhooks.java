package io.tokenbroker.console;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tokenbroker.webhook.DeliveryLog;
import io.tokenbroker.webhook.Endpoint;
import io.tokenbroker.webhook.WebhookSummary;

import org.springframework.stereotype.Component;

/** The console's webhook section: the app's endpoints and their health, and the latest deliveries. */
@Component
class ConsoleWebhooks {

	private static final int RECENT = 20;

	private final WebhookSummary webhooks;

	ConsoleWebhooks(WebhookSummary webhooks) {
		this.webhooks = webhooks;
	}

	record EndpointRow(String url, String events, String status, String failingSince) {
	}

	record DeliveryRow(String time, String eventType, String url, String status, int attempts, String last,
			String next) {
	}

	record View(List<EndpointRow> endpoints, List<DeliveryRow> deliveries) {
	}

	View read(String appId) {
		WebhookSummary.Summary summary = this.webhooks.read(appId, RECENT);
		Map<String, Endpoint> byId = summary.endpoints()
			.stream()
			.collect(Collectors.toMap(Endpoint::id, Function.identity()));
		List<EndpointRow> endpoints = summary.endpoints()
			.stream()
			.map((e) -> new EndpointRow(e.url(), e.eventTypes().isEmpty() ? "All" : String.join(", ", e.eventTypes()),
					e.status(), ConsoleViews.time(e.failingSince())))
			.toList();
		List<DeliveryRow> deliveries = summary.recentDeliveries().stream().map((d) -> row(d, byId)).toList();
		return new View(endpoints, deliveries);
	}

	private static DeliveryRow row(DeliveryLog.DeliveryEntry d, Map<String, Endpoint> endpoints) {
		Endpoint endpoint = endpoints.get(d.endpointId());
		String last = (d.lastError() != null) ? d.lastError()
				: (d.lastStatusCode() != null) ? "HTTP " + d.lastStatusCode() + " in " + d.lastLatencyMs() + " ms" : "—";
		return new DeliveryRow(ConsoleViews.time(d.createdAt()), d.eventType(),
				(endpoint != null) ? endpoint.url() : d.endpointId(), d.status(), d.attempts(), last,
				"pending".equals(d.status()) ? ConsoleViews.time(d.nextAttemptAt()) : null);
	}

}
