package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** Reads {@code GET /audit-events}, waiting for the background writer where a record is expected. */
public final class AuditEventsProbe {

	private AuditEventsProbe() {
	}

	/** The events the query returns now (first page). */
	public static List<JsonNode> events(BrokerClient client, String token, String query) {
		BrokerClient.Response response = client.get("/audit-events" + ((query != null) ? "?" + query : ""), token);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		List<JsonNode> events = new ArrayList<>();
		response.json().get("events").forEach(events::add);
		return events;
	}

	/** Waits until an event matching {@code condition} shows up, and returns it. */
	public static JsonNode await(BrokerClient client, String token, String query, Predicate<JsonNode> condition) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> events(client, token, query).stream().filter(condition).findFirst().orElse(null),
					(found) -> found != null);
	}

	public static Predicate<JsonNode> action(String action) {
		return (e) -> action.equals(e.get("action").asString());
	}

}
