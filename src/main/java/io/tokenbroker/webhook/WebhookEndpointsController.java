package io.tokenbroker.webhook;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /webhooks/endpoints}: the app's webhook endpoints ({@code connectors:admin}). A signing secret is in the
 * answer only when it is created (creation, rotation), never afterwards.
 */
@RestController
class WebhookEndpointsController {

	private static final Pattern ENDPOINT_ID = Pattern.compile("ep_[A-Za-z0-9_-]{1,40}");

	private static final Pattern CURSOR = Pattern.compile("[0-9]{1,18}");

	private static final long DEFAULT_OVERLAP_SECONDS = Duration.ofHours(24).toSeconds();

	private final EndpointService endpoints;

	private final DeliveryLog log;

	WebhookEndpointsController(EndpointService endpoints, DeliveryLog log) {
		this.endpoints = endpoints;
		this.log = log;
	}

	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/webhooks/endpoints")
	ResponseEntity<Map<String, Object>> createEndpoint(ServiceCaller caller,
			@RequestBody(required = false) EndpointChanges request) {
		EndpointChanges changes = (request != null) ? request : new EndpointChanges(null, null, null, null);
		if (changes.enabled() != null) {
			throw BrokerException.badRequest("'enabled' can only be changed once the endpoint exists.");
		}
		EndpointService.Created created = this.endpoints.create(caller.appId(), changes.url(), changes.description(),
				changes.eventTypes());
		return withSecret(HttpStatus.CREATED, created.endpoint(), created.secret(), null);
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/webhooks/endpoints")
	Map<String, List<Endpoint>> listEndpoints(ServiceCaller caller) {
		return Map.of("endpoints", this.endpoints.list(caller.appId()));
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/webhooks/endpoints/{id}")
	Endpoint getEndpoint(ServiceCaller caller, @PathVariable String id) {
		return this.endpoints.require(caller.appId(), checked(id));
	}

	@RequiresScope(Scopes.ADMIN)
	@PatchMapping("/webhooks/endpoints/{id}")
	Endpoint updateEndpoint(ServiceCaller caller, @PathVariable String id,
			@RequestBody(required = false) EndpointChanges request) {
		EndpointChanges changes = (request != null) ? request : new EndpointChanges(null, null, null, null);
		return this.endpoints.update(caller.appId(), checked(id), changes.url(), changes.description(),
				changes.eventTypes(), changes.enabled());
	}

	@RequiresScope(Scopes.ADMIN)
	@DeleteMapping("/webhooks/endpoints/{id}")
	ResponseEntity<Void> deleteEndpoint(ServiceCaller caller, @PathVariable String id) {
		this.endpoints.delete(caller.appId(), checked(id));
		return ResponseEntity.noContent().build();
	}

	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/webhooks/endpoints/{id}/rotate-secret")
	ResponseEntity<Map<String, Object>> rotateSecret(ServiceCaller caller, @PathVariable String id,
			@RequestBody(required = false) SecretRotation request) {
		long overlap = (request != null && request.overlapSeconds() != null) ? request.overlapSeconds()
				: DEFAULT_OVERLAP_SECONDS;
		EndpointService.Rotated rotated = this.endpoints.rotate(caller.appId(), checked(id),
				Duration.ofSeconds(overlap));
		return withSecret(HttpStatus.OK, rotated.endpoint(), rotated.secret(),
				rotated.endpoint().previousSecretExpiresAt());
	}

	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/webhooks/endpoints/{id}/test")
	ResponseEntity<Map<String, String>> sendTestEvent(ServiceCaller caller, @PathVariable String id) {
		String eventId = this.endpoints.sendTest(caller.appId(), checked(id));
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("eventId", eventId, "type", EventType.TEST));
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/webhooks/endpoints/{id}/deliveries")
	DeliveryLog.DeliveryPage listDeliveries(ServiceCaller caller, @PathVariable String id,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) String limit) {
		String endpointId = checked(id);
		this.endpoints.require(caller.appId(), endpointId);
		if (cursor != null && !CURSOR.matcher(cursor).matches()) {
			throw BrokerException.badRequest("'cursor' has an invalid value.");
		}
		return this.log.forEndpoint(caller.appId(), endpointId, (cursor != null) ? Long.valueOf(cursor) : null,
				limit(limit));
	}

	private static String checked(String id) {
		if (!ENDPOINT_ID.matcher(id).matches()) {
			throw BrokerException.notFound(ErrorCodes.NOT_FOUND, "This app has no such webhook endpoint.");
		}
		return id;
	}

	private static int limit(String value) {
		if (value == null) {
			return 20;
		}
		if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1
				|| Integer.parseInt(value) > DeliveryLog.MAX_PAGE) {
			throw BrokerException.badRequest("'limit' is a number from 1 to " + DeliveryLog.MAX_PAGE + ".");
		}
		return Integer.parseInt(value);
	}

	private static ResponseEntity<Map<String, Object>> withSecret(HttpStatus status, Endpoint endpoint, String secret,
			Object previousSecretExpiresAt) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("endpoint", endpoint);
		body.put("secret", secret);
		if (previousSecretExpiresAt != null) {
			body.put("previousSecretExpiresAt", previousSecretExpiresAt);
		}
		return ResponseEntity.status(status).header("Cache-Control", "no-store").body(body);
	}

	/** Fields to set; null leaves a field as it is (on creation: no description, every event type). */
	record EndpointChanges(String url, String description, List<String> eventTypes, Boolean enabled) {
	}

	/** How long the old secret keeps signing next to the new one (default 24 h, at most 7 days, 0 for not at all). */
	record SecretRotation(Long overlapSeconds) {
	}

}
