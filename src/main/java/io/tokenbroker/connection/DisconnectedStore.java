package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionRows.ROW;
import static io.tokenbroker.connection.ConnectionRows.SELECT;
import static io.tokenbroker.connection.ConnectionRows.ts;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for connections disconnected on purpose: they stop being served but keep their encrypted tokens until restored
 * or purged. While the status is {@code DISCONNECTED}, {@code updated_at} is the time of the disconnect: no other
 * write touches a disconnected row (refreshes need {@code ACTIVE}, failed authorizations {@code PENDING}), and a new
 * authorization or a restore makes it active again. Every write is a compare-and-set on {@code version}.
 */
@Repository
class DisconnectedStore {

	private final JdbcClient jdbc;

	private final ConnectionRowCache cache;

	DisconnectedStore(JdbcClient jdbc, ConnectionRowCache cache) {
		this.jdbc = jdbc;
		this.cache = cache;
	}

	boolean disconnect(String id, long version, String reason, Instant now) {
		boolean disconnected = this.jdbc.sql("""
				update connection set status = 'DISCONNECTED', status_reason = ?, refresh_due_at = null,
				       lease_owner = null, lease_until = null, version = version + 1, updated_at = ?
				where id = ? and version = ? and status in ('ACTIVE', 'EXPIRED')
				""").params(reason, ts(now), id, version).update() == 1;
		this.cache.evictWritten(id);
		return disconnected;
	}

	/** Makes a disconnected connection active again if it was disconnected after {@code disconnectedAfter}. */
	boolean restore(String id, long version, Instant refreshDueAt, Instant disconnectedAfter, Instant now) {
		boolean restored = this.jdbc.sql("""
				update connection set status = 'ACTIVE', status_reason = null, refresh_due_at = ?, refresh_failures = 0,
				       version = version + 1, updated_at = ?
				where id = ? and version = ? and status = 'DISCONNECTED' and updated_at > ?
				""").params(ts(refreshDueAt), ts(now), id, version, ts(disconnectedAfter)).update() == 1;
		this.cache.evictWritten(id);
		return restored;
	}

	/** Disconnected connections whose grace period ended: disconnected before {@code cutoff}, oldest first. */
	List<ConnectionRow> disconnectedBefore(Instant cutoff, int limit) {
		return this.jdbc
			.sql(SELECT + " where c.status = 'DISCONNECTED' and c.updated_at < ? order by c.updated_at fetch first "
					+ limit + " rows only")
			.param(ts(cutoff))
			.query(ROW)
			.list();
	}

	/** Deletes the row unless it changed since it was read (a restore or a new authorization keeps it). */
	boolean deleteIfUnchanged(String id, long version) {
		boolean deleted = this.jdbc.sql("delete from connection where id = ? and version = ?")
			.params(id, version)
			.update() == 1;
		this.cache.evictWritten(id);
		return deleted;
	}

}
