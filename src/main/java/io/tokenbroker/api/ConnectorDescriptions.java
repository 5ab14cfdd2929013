package io.tokenbroker.api;

import java.util.List;

import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;

import org.springframework.stereotype.Component;

/** An app's connectors as the native API shows them: each with its app-wide connection's state. */
@Component
class ConnectorDescriptions {

	private final ConnectorService connectors;

	private final ConnectionService connections;

	ConnectorDescriptions(ConnectorService connectors, ConnectionService connections) {
		this.connectors = connectors;
		this.connections = connections;
	}

	ConnectorResponse describe(Connector connector) {
		return ConnectorResponse.of(connector,
				this.connections.findAppWide(connector.getId()).orElse(null));
	}

	List<ConnectorResponse> describeAll(String appId) {
		return this.connectors.list(appId).stream().map(this::describe).toList();
	}

}
