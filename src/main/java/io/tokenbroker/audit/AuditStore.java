package io.tokenbroker.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * SQL for audit records: insert, query, and the retention delete. There is deliberately no update and no other delete:
 * the application cannot rewrite its own history.
 */
@Repository
class AuditStore {

	private static final String INSERT = """
			insert into audit_event (occurred_at, app_id, actor, action, integration_type, connector_id, app_user_id,
			                         outcome, reason, request_id, client_address)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			""";

	private static final int PURGE_CHUNK = 5000;

	private static final int QUERY_TIMEOUT_SECONDS = 30;

	private final JdbcTemplate jdbc;

	AuditStore(JdbcTemplate jdbc) {
		// A statement stuck on a dying connection must not stall the writer for good.
		this.jdbc = new JdbcTemplate(jdbc.getDataSource());
		this.jdbc.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
	}

	void insert(List<AuditEvent> events) {
		if (Boolean.TRUE.equals(this.jdbc.execute(AuditCopy.insert(events)))) {
			return;
		}
		List<Object[]> rows = new ArrayList<>(events.size());
		for (AuditEvent e : events) {
			rows.add(new Object[] { ts(e.time()), e.appId(), e.actor(), e.action(), e.integrationType(),
					e.connectorId(), e.appUserId(), e.outcome().name(), e.reason(), e.requestId(),
					e.clientAddress() });
		}
		this.jdbc.batchUpdate(INSERT, rows);
	}

	/** One app's records matching the query, newest first, at most {@code limit}. */
	List<AuditRecord> find(AuditQuery query, int limit) {
		StringBuilder sql = new StringBuilder("""
				select id, occurred_at, app_id, actor, action, integration_type, connector_id, app_user_id, outcome,
				       reason, request_id, client_address
				from audit_event where app_id = ?
				""");
		List<Object> params = new ArrayList<>();
		params.add(query.appId());
		if (query.before() != null) {
			sql.append(" and id < ?");
			params.add(query.before());
		}
		if (query.from() != null) {
			sql.append(" and occurred_at >= ?");
			params.add(ts(query.from()));
		}
		if (query.to() != null) {
			sql.append(" and occurred_at < ?");
			params.add(ts(query.to()));
		}
		condition(sql, params, "action", query.action());
		condition(sql, params, "connector_id", query.connectorId());
		condition(sql, params, "actor", query.actor());
		condition(sql, params, "app_user_id", query.appUserId());
		if (query.outcome() != null) {
			condition(sql, params, "outcome", query.outcome().name());
		}
		sql.append(" order by id desc fetch first ").append(limit).append(" rows only");
		return this.jdbc.query(sql.toString(), AuditStore::map, params.toArray());
	}

	/** Deletes records older than {@code cutoff}, in chunks so a large backlog never holds one huge transaction. */
	long deleteOlderThan(Instant cutoff) {
		long total = 0;
		int deleted;
		do {
			deleted = this.jdbc.update("""
					delete from audit_event where id in (
					    select id from audit_event where occurred_at < ? order by id fetch first %d rows only)
					""".formatted(PURGE_CHUNK), ts(cutoff));
			total += deleted;
		}
		while (deleted == PURGE_CHUNK);
		return total;
	}

	private static void condition(StringBuilder sql, List<Object> params, String column, String value) {
		if (value != null) {
			sql.append(" and ").append(column).append(" = ?");
			params.add(value);
		}
	}

	private static AuditRecord map(ResultSet rs, int n) throws SQLException {
		return new AuditRecord(rs.getLong(1),
				new AuditEvent(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
						AuditEvent.Outcome.valueOf(rs.getString(9)), rs.getString(10), rs.getString(11),
						rs.getString(12)));
	}

	private static OffsetDateTime ts(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
