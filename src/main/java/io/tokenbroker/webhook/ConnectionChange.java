package io.tokenbroker.webhook;

/**
 * What an event says about a connection or connector: identifiers, status and a reason code from a small fixed set.
 * Never a token, secret or a provider's own words.
 * @param appUserId the end user of a per-user connection; null for the app-wide connection and for connector events
 */
public record ConnectionChange(EventType type, String appId, String integrationType, String connectorId,
		String connectionId, String appUserId, String status, String reason) {

	/** An event about a connector as a whole. */
	public static ConnectionChange ofConnector(EventType type, String appId, String integrationType,
			String connectorId, String reason) {
		return new ConnectionChange(type, appId, integrationType, connectorId, null, null, null, reason);
	}

}
