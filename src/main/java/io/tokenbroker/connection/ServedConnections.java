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
	Optional<ConnectionRow> find(ConnectionRef ref) {
		return this.cache.get(ref, () -> this.store.find(ref));
	}

}
