package io.tokenbroker.connection;

import java.util.Optional;

import org.springframework.stereotype.Component;

/** The connections token reads serve: from this replica's {@link ConnectionRowCache}, else from the database. */
@Component
class ServedConnections {

	private final ConnectionStore store;

	private final ConnectionRowCache cache;

	ServedConnections(ConnectionStore store, ConnectionRowCache cache) {
		this.store = store;
		this.cache = cache;
	}

	/** Like {@link ConnectionStore#find}. */
	Optional<ConnectionRow> find(String appId, String type, String appUserId) {
		return this.cache.get(new ConnectionRowCache.ByType(appId, type, appUserId),
				() -> this.store.find(appId, type, appUserId));
	}

	/** Like {@link ConnectionStore#findByConnectorOfApp}. */
	Optional<ConnectionRow> findByConnector(String appId, String connectorId, String appUserId) {
		return this.cache.get(new ConnectionRowCache.ByConnector(appId, connectorId, appUserId),
				() -> this.store.findByConnectorOfApp(appId, connectorId, appUserId));
	}

}
