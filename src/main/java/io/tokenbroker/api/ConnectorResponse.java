package io.tokenbroker.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;

/** A connector and its app-wide connection's state. Never a token. */
record ConnectorResponse(String connectorId, String integrationType, String status, String statusReason,
		List<String> scopes, List<String> grantedScopes, Map<String, String> connectionConfig, String accountId,
		String accountEmail, Instant expiresAt, Instant authorizedAt, Instant lastRefreshedAt, Instant createdAt,
		Instant updatedAt) {

	static ConnectorResponse of(Connector connector, ConnectionView connection) {
		ConnectionStatus status = (connection != null) ? connection.status() : ConnectionStatus.PENDING;
		return new ConnectorResponse(connector.getId(), connector.getIntegrationType(), status.wireName(),
				(connection != null) ? connection.statusReason() : null, connector.getScopes(),
				(connection != null) ? connection.grantedScopes() : List.of(), connector.getConnectionConfig(),
				(connection != null) ? connection.accountId() : null,
				(connection != null) ? connection.accountEmail() : null,
				(connection != null) ? connection.expiresAt() : null,
				(connection != null) ? connection.authorizedAt() : null,
				(connection != null) ? connection.lastRefreshedAt() : null, connector.getCreatedAt(),
				connector.getUpdatedAt());
	}

}
