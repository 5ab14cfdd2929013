package io.tokenbroker.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The events an endpoint can subscribe to, by their wire names. */
public enum EventType {

	/** An authorization completed: a new grant, or a new one replacing an earlier grant. */
	CONNECTION_CREATED("connection.created"),

	/** The provider refused the refresh token or revoked the grant (or a token expired with nothing to refresh it). */
	CONNECTION_REAUTHORIZATION_REQUIRED("connection.reauthorization_required"),

	/** Refreshes failed transiently this many times in a row (broker.webhooks.refresh-failing-after). */
	CONNECTION_REFRESH_FAILING("connection.refresh_failing"),

	/** A refresh succeeded again after {@link #CONNECTION_REFRESH_FAILING}. */
	CONNECTION_RECOVERED("connection.recovered"),

	/** Disconnected on purpose (restorable for a while) or deleted. */
	CONNECTION_DISCONNECTED("connection.disconnected"),

	/** A disconnected connection was restored. */
	CONNECTION_RESTORED("connection.restored"),

	/** The connector was removed (restorable for a while) or deleted with its connections. */
	CONNECTOR_REMOVED("connector.removed"),

	/** A removed connector was restored with its connections. */
	CONNECTOR_RESTORED("connector.restored");

	/** The event "send test event" sends; not subscribable. */
	static final String TEST = "webhook.test";

	private final String wireName;

	EventType(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	static Optional<EventType> fromWireName(String name) {
		return Arrays.stream(values()).filter((type) -> type.wireName.equals(name)).findFirst();
	}

}
