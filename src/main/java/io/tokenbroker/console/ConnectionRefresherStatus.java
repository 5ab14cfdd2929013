package io.tokenbroker.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;

import org.springframework.stereotype.Component;

/**
 * What can be said about refreshes from the connections alone: which ones last failed to refresh (their status reason
 * says so) or lost their grant. The backlog needs a background refresher to report it, so it is not available here.
 */
@Component
class ConnectionRefresherStatus implements RefresherStatus {

	private static final String REFRESH_FAILED = "Refresh failed";

	private final ConnectorService connectors;

	private final ConnectionService connections;

	ConnectionRefresherStatus(ConnectorService connectors, ConnectionService connections) {
		this.connectors = connectors;
		this.connections = connections;
	}

	@Override
	public Optional<Backlog> backlog() {
		return Optional.empty();
	}

	@Override
	public List<Failure> recentFailures(String appId, int limit) {
		List<Failure> failures = new ArrayList<>();
		for (Connector connector : this.connectors.list(appId)) {
			for (ConnectionView connection : this.connections.findAll(connector.getId())) {
				if (failed(connection)) {
					failures.add(new Failure(connector.getIntegrationType(), connection.appUserId(),
							connection.statusReason(), connection.status() == ConnectionStatus.EXPIRED, null));
				}
			}
		}
		return failures.stream().limit(limit).toList();
	}

	private static boolean failed(ConnectionView connection) {
		String reason = connection.statusReason();
		return (connection.status() == ConnectionStatus.EXPIRED && reason != null)
				|| (connection.status() == ConnectionStatus.ACTIVE && reason != null
						&& reason.startsWith(REFRESH_FAILED));
	}

}
