package io.tokenbroker.connection;

import java.time.Instant;
import java.util.List;

/**
 * A connection's state without its tokens: what status and admin endpoints may show.
 * @param version the version a compare-and-set write ({@link ConnectionService#disconnect},
 * {@link ConnectionService#restore}) expects
 * @param disconnectedAt when a {@link ConnectionStatus#DISCONNECTED} connection was disconnected; null otherwise
 */
public record ConnectionView(String id, String connectorId, String appUserId, ConnectionStatus status,
		String statusReason, List<String> grantedScopes, String accountId, String accountEmail, Instant expiresAt,
		Instant authorizedAt, Instant lastRefreshedAt, long version, Instant disconnectedAt) {

	/** Whether this is the app's own connection rather than an end user's. */
	public boolean appWide() {
		return ConnectionRows.NO_END_USER.equals(this.appUserId);
	}

	static ConnectionView of(ConnectionRow row) {
		return new ConnectionView(row.id(), row.connectorId(), row.appUserId(), row.status(), row.statusReason(),
				row.grantedScopes(), row.accountId(), row.accountEmail(), row.expiresAt(), row.authorizedAt(),
				row.lastRefreshedAt(), row.version(),
				(row.status() == ConnectionStatus.DISCONNECTED) ? row.updatedAt() : null);
	}

}
