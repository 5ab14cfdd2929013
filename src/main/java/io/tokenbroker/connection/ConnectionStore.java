package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionRows.MAPS;
import static io.tokenbroker.connection.ConnectionRows.ROW;
import static io.tokenbroker.connection.ConnectionRows.SELECT;
import static io.tokenbroker.connection.ConnectionRows.joinScopes;
import static io.tokenbroker.connection.ConnectionRows.ts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * SQL for connections. Every write that changes tokens or status is a compare-and-set on {@code version}, so that a
 * replica holding stale data (a lost lease, a concurrent re-authorization) can never overwrite newer tokens. Leases
 * are in {@link LeaseStore}, the row mapping in {@link ConnectionRows}. Every write here evicts its row from this replica's {@link ConnectionRowCache} at once (again
 * after commit); other replicas learn of it from the database.
 * <p>
 * A plain component rather than a {@code @Repository}: JdbcClient already translates SQL exceptions, and the
 * translation proxy a repository gets would add a reflective call to every hot-path read.
 */
@Component
class ConnectionStore {

	private final JdbcClient jdbc;

	private final ConnectionRowCache cache;

	private final RefreshSentMarks marks;

	ConnectionStore(JdbcClient jdbc, ConnectionRowCache cache, RefreshSentMarks marks) {
		this.jdbc = jdbc;
		this.cache = cache;
		this.marks = marks;
	}

	private void evict(String id) {
		this.cache.evictWritten(id);
	}

	/**
	 * The hot path: one indexed read through the (app, type) or the (connector, user) unique key. A removed
	 * connector's connections are not served.
	 */
	Optional<ConnectionRow> find(ConnectionRef ref) {
		String where = ref.byType() ? " where k.app_id = ? and k.integration_type = ? and c.app_user_id = ?"
				: " where k.app_id = ? and c.connector_id = ? and c.app_user_id = ?";
		return this.jdbc.sql(SELECT + where + " and k.disabled_at is null")
			.params(ref.appId(), ref.byType() ? ref.integrationType() : ref.connectorId(), ref.storedAppUserId())
			.query(ROW)
			.optional();
	}

	Optional<ConnectionRow> findByConnector(String connectorId, String appUserId) {
		return this.jdbc.sql(SELECT + " where c.connector_id = ? and c.app_user_id = ?")
			.params(connectorId, appUserId)
			.query(ROW)
			.optional();
	}

	Optional<ConnectionRow> findById(String id) {
		return this.jdbc.sql(SELECT + " where c.id = ?").param(id).query(ROW).optional();
	}

	/**
	 * The row as it is now, locked until the surrounding transaction ends, so that what is read is exactly what the
	 * transaction's own write replaces (no refresh or other authorization in between).
	 */
	Optional<ConnectionRow> findByIdForUpdate(String id) {
		return this.jdbc.sql("select id from connection where id = ? for update")
			.param(id)
			.query(String.class)
			.optional()
			.flatMap(this::findById);
	}

	List<ConnectionRow> findAllByConnector(String connectorId) {
		return this.jdbc.sql(SELECT + " where c.connector_id = ?").param(connectorId).query(ROW).list();
	}

	/** End users' connections of a connector (never the app-wide one), ordered by user id, after a cursor. */
	List<ConnectionRow> pageUsers(String connectorId, String afterUserId, int limit) {
		return this.jdbc
			.sql(SELECT + " where c.connector_id = ? and c.app_user_id > ? order by c.app_user_id fetch first "
					+ limit + " rows only")
			.params(connectorId, afterUserId)
			.query(ROW)
			.list();
	}

	/** How many end-user connections each of the app's connectors has, by status. */
	List<UserConnectionCount> countUsers(String appId) {
		return this.jdbc.sql("""
				select c.connector_id, c.status, count(*) from connection c join connector k on k.id = c.connector_id
				where k.app_id = ? and c.app_user_id <> '' group by c.connector_id, c.status
				""")
			.param(appId)
			.query((rs, n) -> new UserConnectionCount(rs.getString(1), ConnectionStatus.valueOf(rs.getString(2)),
					rs.getLong(3)))
			.list();
	}

	List<ConnectionRow> page(String afterId, int limit) {
		return this.jdbc.sql(SELECT + " where c.id > ? order by c.id fetch first " + limit + " rows only")
			.param(afterId)
			.query(ROW)
			.list();
	}

	/** Inserts a pending connection unless one exists; concurrent callers may both try, the unique key keeps one. */
	void insertPending(String id, String connectorId, String appId, String appUserId, Instant now) {
		this.jdbc.sql("""
				insert into connection (id, connector_id, app_id, app_user_id, status, refresh_failures, version,
				                        created_at, updated_at)
				values (?, ?, ?, ?, 'PENDING', 0, 0, ?, ?)
				""").params(id, connectorId, appId, appUserId, ts(now), ts(now)).update();
	}

	/** A completed authorization replaces whatever the connection held, whatever its version. */
	void saveAuthorization(String id, String accessCipher, String refreshCipher, Instant expiresAt,
			List<String> grantedScopes, String accountId, String accountEmail, Map<String, String> metadata,
			Instant refreshDueAt, Instant now) {
		this.jdbc.sql("""
				update connection set status = 'ACTIVE', status_reason = null, access_token = ?, refresh_token = ?,
				       expires_at = ?, granted_scopes = ?, account_id = ?, account_email = ?, metadata = ?,
				       authorized_at = ?, last_refreshed_at = null, refresh_due_at = ?, refresh_failures = 0,
				       refresh_sent_at = null, lease_owner = null, lease_until = null, version = version + 1,
				       updated_at = ?
				where id = ?
				""")
			.params(accessCipher, refreshCipher, ts(expiresAt), joinScopes(grantedScopes), accountId, accountEmail,
					MAPS.convertToDatabaseColumn(metadata), ts(now), ts(refreshDueAt), ts(now), id)
			.update();
		evict(id);
	}

	/**
	 * Stores a refreshed pair if nobody changed the connection since its version; releases the lease. Parameters:
	 * {@link RefreshedPair#parameters()}.
	 */
	static final String SAVE_REFRESH = """
			update connection set access_token = ?, refresh_token = ?, expires_at = ?,
			       granted_scopes = coalesce(?, granted_scopes), last_refreshed_at = ?, refresh_due_at = ?,
			       refresh_failures = 0, status_reason = null, refresh_sent_at = null, lease_owner = null,
			       lease_until = null, version = version + 1, updated_at = ?
			where id = ? and version = ? and status = 'ACTIVE'
			""";

	/** Stores a refreshed pair on its own ({@link RefreshWriter} stores them in groups). */
	boolean saveRefresh(RefreshedPair pair) {
		boolean saved = this.jdbc.sql(SAVE_REFRESH).params(pair.parameters()).update() == 1;
		evict(pair.id());
		return saved;
	}

	boolean markStatus(String id, long version, ConnectionStatus status, String reason, Instant now) {
		boolean marked = this.jdbc.sql("""
				update connection set status = ?, status_reason = ?, refresh_due_at = null, refresh_sent_at = null,
				       lease_owner = null, lease_until = null, version = version + 1, updated_at = ?
				where id = ? and version = ?
				""").params(status.name(), truncate(reason), ts(now), id, version).update() == 1;
		evict(id);
		return marked;
	}

	/** Records a failed authorization attempt on a connection that has no grant yet. */
	void recordPendingFailure(String id, String reason, Instant now) {
		this.jdbc.sql("update connection set status_reason = ?, updated_at = ? where id = ? and status = 'PENDING'")
			.params(truncate(reason), ts(now), id)
			.update();
	}

	/**
	 * A transient refresh failure: try again at {@code nextAttempt}; the tokens stay as they are. Fenced on the version
	 * the refresh started from, so a failure never delays a connection that someone else has refreshed meanwhile.
	 * @param answered whether the provider answered the refresh token (an error or a timeout), which settles a refresh
	 * in flight; a failure on our side after the call (storing the answer) leaves the connection marked in flight
	 */
	void recordRefreshFailure(String id, long version, String reason, Instant nextAttempt, boolean answered) {
		this.jdbc.sql("""
				update connection set refresh_failures = refresh_failures + 1, status_reason = ?, refresh_due_at = ?,
				       refresh_sent_at = case when ? then null else refresh_sent_at end
				where id = ? and version = ?
				""").params(truncate(reason), ts(nextAttempt), answered, id, version).update();
		evict(id);
	}

	/**
	 * Marks the refresh token as sent, right before it is, if {@code owner} still holds an unexpired lease on the row
	 * at {@code version}. Until an answer is stored the row says that its access token may be superseded, so reads
	 * on every replica wait for the answer, or take over once the lease ran out (the refresher died mid-call). The
	 * connection is also due at once, so that the background refresher takes it over without any read. Committed in its
	 * own transaction before this returns ({@link RefreshSentMarks}).
	 */
	boolean markRefreshSent(String id, String owner, long version, Instant now) {
		// Committed with the marks of other refreshes about to call their providers: one notifying commit for many.
		return this.marks.mark(id, owner, version, now);
	}

	/** Moves the scheduler's due time (null: never) without touching tokens or version. */
	void reschedule(String id, Instant refreshDueAt) {
		this.jdbc.sql("update connection set refresh_due_at = ? where id = ?").params(ts(refreshDueAt), id).update();
		evict(id);
	}

	boolean updateCiphers(String id, long version, String accessCipher, String refreshCipher) {
		boolean updated = this.jdbc
			.sql("update connection set access_token = ?, refresh_token = ? where id = ? and version = ?")
			.params(accessCipher, refreshCipher, id, version)
			.update() == 1;
		evict(id);
		return updated;
	}

	void delete(String id) {
		this.jdbc.sql("delete from connection where id = ?").param(id).update();
		evict(id);
	}

	record UserConnectionCount(String connectorId, ConnectionStatus status, long count) {
	}

	private static String truncate(String reason) {
		return (reason != null && reason.length() > 1000) ? reason.substring(0, 1000) : reason;
	}

}
