package io.tokenbroker.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A registered endpoint as the admin API shows it: never its secret.
 * @param eventTypes the subscribed event types; empty means every type
 * @param failingSince when its deliveries started failing persistently; null while they succeed
 * @param previousSecretExpiresAt until when the secret before the last rotation still signs; null when none does
 */
public record Endpoint(String id, String appId, String url, String description, List<String> eventTypes,
		boolean enabled, String status, int consecutiveFailures, Instant failingSince,
		Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {
}
