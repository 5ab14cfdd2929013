package io.tokenbroker.connection;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores refreshed pairs in groups ({@link GroupCommit}): the pairs that arrive while a group is being written go
 * together in the next transaction: one commit, one WAL flush, one notification lock, and each row still its own
 * compare-and-set on its version that releases its lease only with the new tokens stored. On PostgreSQL a group is
 * one statement ({@link UnnestUpdates}), which also notifies the replicas once for the group; elsewhere a JDBC batch.
 */
@Component
class RefreshWriter {

	/** Rows per group at most: one statement, a transaction of a few milliseconds. */
	private static final int MAX_GROUP = 256;

	/** {@link ConnectionStore#SAVE_REFRESH} for a group: the same compare-and-set, row by row. */
	private static final String SAVE_GROUP = """
			update connection c set access_token = g.access_token, refresh_token = g.refresh_token,
			       expires_at = g.expires_at::timestamptz, granted_scopes = coalesce(g.granted_scopes, c.granted_scopes),
			       last_refreshed_at = g.refreshed_at::timestamptz, refresh_due_at = g.refresh_due_at::timestamptz,
			       refresh_failures = 0, status_reason = null, refresh_sent_at = null, lease_owner = null,
			       lease_until = null, version = c.version + 1, updated_at = g.refreshed_at::timestamptz
			from (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
			                           ?::text[])
			          as u(id, version, access_token, refresh_token, expires_at, granted_scopes, refreshed_at,
			               refresh_due_at)
			      order by id) as g
			where c.id = g.id and c.version = g.version::bigint and c.status = 'ACTIVE'
			returning c.id
			""";

	private static final List<Function<RefreshedPair, Object>> COLUMNS = List.of(RefreshedPair::id,
			RefreshedPair::version, RefreshedPair::accessCipher, RefreshedPair::refreshCipher, RefreshedPair::expiresAt,
			(p) -> ConnectionRows.joinScopes(p.grantedScopes()), RefreshedPair::now, RefreshedPair::refreshDueAt);

	private final JdbcTemplate jdbc;

	private final ConnectionStore store;

	private final ConnectionRowCache cache;

	private final TransactionTemplate transaction;

	private final boolean postgres;

	private final GroupCommit<RefreshedPair> groups;

	RefreshWriter(JdbcTemplate jdbc, ConnectionStore store, ConnectionRowCache cache,
			PlatformTransactionManager transactionManager, DataSource dataSource) {
		this.jdbc = jdbc;
		this.store = store;
		this.cache = cache;
		// A group carries other callers' pairs: never part of whatever transaction the writing caller is in.
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.postgres = UnnestUpdates.isPostgres(dataSource);
		this.groups = new GroupCommit<>("refreshed pairs", MAX_GROUP, RefreshedPair::id, this::writeTogether,
				(pair) -> Boolean.TRUE.equals(this.transaction.execute((tx) -> this.store.saveRefresh(pair))));
	}

	/**
	 * Stores the pair unless the connection changed since its version; returns whether it did. Throws what the
	 * database threw when the pair could not be written.
	 */
	boolean save(RefreshedPair pair) {
		return this.groups.submit(pair);
	}

	private Set<String> writeTogether(List<RefreshedPair> group) {
		return this.transaction.execute((tx) -> {
			Set<String> saved = this.postgres ? UnnestUpdates.update(this.jdbc, SAVE_GROUP, group, COLUMNS)
					: batch(group);
			group.forEach((p) -> this.cache.evictWritten(p.id()));
			return saved;
		});
	}

	private Set<String> batch(List<RefreshedPair> group) {
		int[] counts = this.jdbc.batchUpdate(ConnectionStore.SAVE_REFRESH,
				group.stream().map(RefreshedPair::parameters).toList());
		Set<String> saved = new HashSet<>();
		for (int i = 0; i < group.size(); i++) {
			if (counts[i] == 1) {
				saved.add(group.get(i).id());
			}
		}
		return saved;
	}

}
