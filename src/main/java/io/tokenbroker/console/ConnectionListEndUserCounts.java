package io.tokenbroker.console;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;

import org.springframework.stereotype.Component;

/** Counts end users' connections (every connection but the app-wide one) from each connector's connection list. */
@Component
class ConnectionListEndUserCounts implements EndUserCounts {

	private final ConnectorService connectors;

	private final ConnectionService connections;

	ConnectionListEndUserCounts(ConnectorService connectors, ConnectionService connections) {
		this.connectors = connectors;
		this.connections = connections;
	}

	@Override
	public Map<String, Map<ConnectionStatus, Long>> byConnector(String appId) {
		Map<String, Map<ConnectionStatus, Long>> counts = new HashMap<>();
		for (Connector connector : this.connectors.list(appId)) {
			for (ConnectionView connection : this.connections.findAll(connector.getId())) {
				if (!connection.appWide()) {
					counts.computeIfAbsent(connector.getId(), (id) -> new EnumMap<>(ConnectionStatus.class))
						.merge(connection.status(), 1L, Long::sum);
				}
			}
		}
		return counts;
	}

}
