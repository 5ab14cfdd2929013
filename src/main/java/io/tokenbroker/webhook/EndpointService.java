package io.tokenbroker.webhook;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An app's webhook endpoints: checked input, secrets shown once, rotation with an overlap, test events. */
@Service
class EndpointService {

	static final Duration MAX_OVERLAP = Duration.ofDays(7);

	private static final int MAX_DESCRIPTION = 500;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final EndpointStore store;

	private final EndpointSecrets secrets;

	private final EndpointAddresses addresses;

	private final Outbox outbox;

	private final WebhookProperties properties;

	private final Clock clock;

	EndpointService(EndpointStore store, EndpointSecrets secrets, EndpointAddresses addresses, Outbox outbox,
			WebhookProperties properties, Clock clock) {
		this.store = store;
		this.secrets = secrets;
		this.addresses = addresses;
		this.outbox = outbox;
		this.properties = properties;
		this.clock = clock;
	}

	/** A new endpoint and its signing secret (shown this once). */
	record Created(Endpoint endpoint, String secret) {
	}

	/** A rotated endpoint and its new secret (shown this once). */
	record Rotated(Endpoint endpoint, String secret) {
	}

	@Transactional
	Created create(String appId, String url, String description, List<String> eventTypes) {
		String checkedUrl = this.addresses.check(url);
		List<String> types = eventTypes(eventTypes);
		String checkedDescription = description(description);
		if (this.store.count(appId) >= this.properties.maxEndpointsPerApp()) {
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST, "This app already has "
					+ this.properties.maxEndpointsPerApp() + " webhook endpoints; delete one first.");
		}
		String id = newEndpointId();
		String secret = WebhookSigner.newSecret();
		this.store.insert(id, appId, checkedUrl, checkedDescription, types,
				this.secrets.encryptCurrent(appId, id, secret), Instant.now(this.clock));
		return new Created(require(appId, id), secret);
	}

	List<Endpoint> list(String appId) {
		return this.store.list(appId);
	}

	Endpoint require(String appId, String id) {
		return this.store.find(appId, id)
			.orElseThrow(() -> BrokerException.notFound(ErrorCodes.NOT_FOUND, "This app has no such webhook endpoint."));
	}

	/** Changes what is given (null: unchanged). */
	@Transactional
	Endpoint update(String appId, String id, String url, String description, List<String> eventTypes,
			Boolean enabled) {
		Endpoint current = require(appId, id);
		String newUrl = (url != null) ? this.addresses.check(url) : current.url();
		List<String> types = (eventTypes != null) ? eventTypes(eventTypes) : current.eventTypes();
		String newDescription = (description != null) ? description(description) : current.description();
		boolean newEnabled = (enabled != null) ? enabled : current.enabled();
		this.store.update(appId, id, newUrl, newDescription, types, newEnabled, Instant.now(this.clock));
		return require(appId, id);
	}

	@Transactional
	void delete(String appId, String id) {
		if (!this.store.delete(appId, id)) {
			throw BrokerException.notFound(ErrorCodes.NOT_FOUND, "This app has no such webhook endpoint.");
		}
	}

	/** A new secret signs from now on; the old one also signs for {@code overlap} (zero: not at all). */
	@Transactional
	Rotated rotate(String appId, String id, Duration overlap) {
		require(appId, id);
		if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
			throw BrokerException.badRequest("'overlapSeconds' is from 0 to " + MAX_OVERLAP.toSeconds() + ".");
		}
		EndpointStore.Secrets old = this.store.secrets(appId, id);
		String secret = WebhookSigner.newSecret();
		Instant now = Instant.now(this.clock);
		String previous = overlap.isZero() ? null
				: this.secrets.encryptPrevious(appId, id, this.secrets.current(appId, id, old.current()));
		this.store.rotate(appId, id, this.secrets.encryptCurrent(appId, id, secret), previous,
				overlap.isZero() ? null : now.plus(overlap), now);
		return new Rotated(require(appId, id), secret);
	}

	/** Queues a {@code webhook.test} event for the endpoint; returns its webhook-id. */
	String sendTest(String appId, String id) {
		require(appId, id);
		return this.outbox.appendTest(appId, id);
	}

	private static List<String> eventTypes(List<String> requested) {
		if (requested == null || requested.isEmpty()) {
			return List.of();
		}
		List<String> types = new ArrayList<>();
		for (String type : requested) {
			if (type == null || EventType.fromWireName(type).isEmpty()) {
				throw BrokerException.badRequest("'eventTypes' may contain only "
						+ String.join(", ", java.util.Arrays.stream(EventType.values()).map(EventType::wireName)
							.toList())
						+ " (or be empty for all of them).");
			}
			if (!types.contains(type)) {
				types.add(type);
			}
		}
		return types;
	}

	/** A control character, or half of a surrogate pair: UTF-8 cannot encode it, PostgreSQL would store a '?'. */
	private static boolean notText(int codePoint) {
		return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
	}

	private static String description(String description) {
		if (description != null && (description.length() > MAX_DESCRIPTION
				|| description.codePoints().anyMatch(EndpointService::notText))) {
			throw BrokerException.badRequest("'description' is at most " + MAX_DESCRIPTION
					+ " characters of text without control characters.");
		}
		return description;
	}

	private static String newEndpointId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return "ep_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
