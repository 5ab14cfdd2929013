package io.tokenbroker.connection;

import java.util.Objects;

/**
 * How every layer names one connection: an app's connector, chosen by integration type or by connector id, and the
 * end user whose connection it is, or none for the app's own (app-wide) connection.
 * @param integrationType the connector's type, or null when it is named by {@code connectorId}
 * @param connectorId the connector's id, or null when it is named by {@code integrationType}
 * @param appUserId the end user, or null for the app-wide connection
 */
public record ConnectionRef(String appId, String integrationType, String connectorId, String appUserId) {

	public ConnectionRef {
		Objects.requireNonNull(appId, "appId");
		if ((integrationType == null) == (connectorId == null)) {
			throw new IllegalArgumentException("A connection is named by integration type or by connector id");
		}
		if (appUserId != null && appUserId.isEmpty()) {
			throw new IllegalArgumentException("An end user has a non-empty id; the app-wide connection has none");
		}
	}

	/** The app-wide connection of the app's connector of {@code type}. */
	public static ConnectionRef ofType(String appId, String type) {
		return new ConnectionRef(appId, type, null, null);
	}

	/** The app-wide connection of the app's connector {@code connectorId}. */
	public static ConnectionRef ofConnector(String appId, String connectorId) {
		return new ConnectionRef(appId, null, connectorId, null);
	}

	/** The same connector's connection of one end user. */
	public ConnectionRef forEndUser(String endUserId) {
		return new ConnectionRef(this.appId, this.integrationType, this.connectorId,
				Objects.requireNonNull(endUserId, "endUserId"));
	}

	public boolean isAppWide() {
		return this.appUserId == null;
	}

	boolean byType() {
		return this.integrationType != null;
	}

	/** The end user as the connection table keys it. */
	String storedAppUserId() {
		return isAppWide() ? ConnectionRows.NO_END_USER : this.appUserId;
	}

	/** Whether {@code row} is the connection this names (a cached row is checked against the key it was found by). */
	boolean matches(ConnectionRow row) {
		return (byType() ? this.integrationType.equals(row.integrationType())
				: this.connectorId.equals(row.connectorId())) && storedAppUserId().equals(row.appUserId())
				&& this.appId.equals(row.appId());
	}

}
