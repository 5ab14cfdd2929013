package io.tokenbroker.webhook;

import java.time.Instant;

/**
 * A claimed delivery with what sending it takes: the event, the endpoint and its secrets' ciphertexts.
 * @param orderingKey the connection (or connector) its order is kept within; null when it is not ordered
 */
record DueDelivery(long id, int attempts, String eventId, long sequence, String type, String data,
		Instant eventCreatedAt, String endpointId, String appId, String url, boolean enabled,
		int endpointFailures, EndpointStore.Secrets secrets, String orderingKey) {

	@Override
	public String toString() {
		return "DueDelivery[" + this.id + ", " + this.eventId + ", " + this.endpointId + "]";
	}

}
