package io.tokenbroker.webhook;

import static io.tokenbroker.webhook.EndpointStore.instant;
import static io.tokenbroker.webhook.EndpointStore.ts;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery queue. Replicas claim due deliveries with a lease: on PostgreSQL in one statement that skips rows
 * another replica is claiming ({@code FOR UPDATE SKIP LOCKED}), elsewhere row by row with a compare-and-set. A
 * replica that dies leaves its claims to the others once their leases run out, which is why a delivery can arrive
 * twice (with the same webhook-id) but is never lost.
 */
@Component
class DeliveryStore {

	/**
	 * Due, not claimed by a live lease, and no earlier delivery of the same key to the same endpoint still pending
	 * (being sent, or waiting for its retry): deliveries of one connection go out one at a time, in order.
	 */
	private static final String DUE = """
			d.status = 'PENDING' and d.next_attempt_at <= ? and (d.lease_until is null or d.lease_until < ?)
			and not exists (select 1 from webhook_delivery w where w.endpoint_id = d.endpoint_id
			                and w.ordering_key = d.ordering_key and w.status = 'PENDING' and w.id < d.id)
			""";

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final boolean skipLocked;

	private final TransactionTemplate transaction;

	DeliveryStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate, DataSource dataSource,
			PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.skipLocked = isPostgres(dataSource);
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/** What one attempt came to; {@code nextAttemptAt} is null when the delivery is finished. */
	record Outcome(String status, Integer statusCode, String error, int latencyMs, Instant at, Instant nextAttemptAt) {
	}

	List<DueDelivery> claim(String owner, int limit, Instant now, Instant leaseUntil) {
		List<Long> ids;
		if (this.skipLocked) {
			ids = this.jdbc.sql("""
					update webhook_delivery set lease_owner = ?, lease_until = ?
					where id in (select d.id from webhook_delivery d where %s
					             order by d.next_attempt_at limit ? for update of d skip locked)
					returning id
					""".formatted(DUE))
				.params(owner, ts(leaseUntil), ts(now), ts(now), limit)
				.query(Long.class)
				.list();
		}
		else {
			ids = new ArrayList<>();
			List<Long> candidates = this.jdbc
				.sql("select d.id from webhook_delivery d where " + DUE + " order by d.next_attempt_at limit ?")
				.params(ts(now), ts(now), limit)
				.query(Long.class)
				.list();
			for (Long id : candidates) {
				if (this.jdbc.sql("update webhook_delivery d set lease_owner = ?, lease_until = ? where d.id = ? and " + DUE)
					.params(owner, ts(leaseUntil), id, ts(now), ts(now))
					.update() == 1) {
					ids.add(id);
				}
			}
		}
		return ids.isEmpty() ? List.of() : load(ids);
	}

	private List<DueDelivery> load(List<Long> ids) {
		return this.jdbc.sql("""
				select d.id, d.attempts, e.id, e.sequence, e.type, e.data, e.created_at, p.id, p.app_id, p.url,
				       p.enabled, p.consecutive_failures, p.secret, p.previous_secret, p.previous_secret_until,
				       d.ordering_key
				from webhook_delivery d join webhook_event e on e.id = d.event_id
				     join webhook_endpoint p on p.id = d.endpoint_id
				where d.id in (%s)
				order by d.id
				""".formatted(String.join(",", Collections.nCopies(ids.size(), "?"))))
			.params(new ArrayList<Object>(ids))
			.query((rs, n) -> new DueDelivery(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
					rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9),
					rs.getString(10), rs.getBoolean(11), rs.getInt(12), new EndpointStore.Secrets(rs.getString(13),
							rs.getString(14), instant(rs.getTimestamp(15))), rs.getString(16)))
			.list();
	}

	/** An attempt's outcome on its way to the database. */
	record Recorded(DueDelivery delivery, String owner, Outcome outcome) {
	}

	/**
	 * Writes attempts to the log and their deliveries' new state (where the owner still holds the lease), all in one
	 * commit. A delivery that will be retried takes the later deliveries of its key along to its retry time: they
	 * cannot go before it, and claims then do not step over them meanwhile.
	 */
	void record(List<Recorded> batch) {
		this.transaction.executeWithoutResult((tx) -> {
			this.jdbcTemplate.batchUpdate("""
					insert into webhook_attempt (delivery_id, attempted_at, status_code, error, latency_ms,
					                             next_attempt_at)
					values (?, ?, ?, ?, ?, ?)
					""", batch, batch.size(), (ps, r) -> {
				ps.setLong(1, r.delivery().id());
				ps.setTimestamp(2, ts(r.outcome().at()));
				ps.setObject(3, r.outcome().statusCode(), Types.INTEGER);
				ps.setString(4, r.outcome().error());
				ps.setInt(5, r.outcome().latencyMs());
				ps.setTimestamp(6, ts(r.outcome().nextAttemptAt()));
			});
			this.jdbcTemplate.batchUpdate("""
					update webhook_delivery set status = ?, attempts = attempts + 1, next_attempt_at = ?,
					       lease_owner = null, lease_until = null, last_status = ?, last_error = ?,
					       last_latency_ms = ?, last_attempt_at = ?, finished_at = ?
					where id = ? and lease_owner = ?
					""", batch, batch.size(), (ps, r) -> {
				Outcome o = r.outcome();
				ps.setString(1, o.status());
				ps.setTimestamp(2, ts(o.nextAttemptAt()));
				ps.setObject(3, o.statusCode(), Types.INTEGER);
				ps.setString(4, o.error());
				ps.setInt(5, o.latencyMs());
				ps.setTimestamp(6, ts(o.at()));
				ps.setTimestamp(7, (o.nextAttemptAt() == null) ? ts(o.at()) : null);
				ps.setLong(8, r.delivery().id());
				ps.setString(9, r.owner());
			});
			List<Recorded> retried = batch.stream()
				.filter((r) -> r.outcome().nextAttemptAt() != null && r.delivery().orderingKey() != null)
				.toList();
			if (!retried.isEmpty()) {
				this.jdbcTemplate.batchUpdate("""
						update webhook_delivery set next_attempt_at = ?
						where endpoint_id = ? and ordering_key = ? and status = 'PENDING' and id > ?
						      and next_attempt_at < ?
						""", retried, retried.size(), (ps, r) -> {
					ps.setTimestamp(1, ts(r.outcome().nextAttemptAt()));
					ps.setString(2, r.delivery().endpointId());
					ps.setString(3, r.delivery().orderingKey());
					ps.setLong(4, r.delivery().id());
					ps.setTimestamp(5, ts(r.outcome().nextAttemptAt()));
				});
			}
		});
	}

	/** Deletes events older than {@code cutoff} that nothing waits to deliver (their deliveries go with them). */
	int purge(Instant cutoff) {
		return this.jdbc.sql("""
				delete from webhook_event where created_at < ? and not exists (
				    select 1 from webhook_delivery d where d.event_id = webhook_event.id and d.status = 'PENDING')
				""").param(ts(cutoff)).update();
	}

	/** Pending deliveries across all apps, and when the oldest of them was created. */
	record Backlog(long pending, Instant oldestCreatedAt) {
	}

	Backlog backlog() {
		return this.jdbc.sql("select count(*), min(created_at) from webhook_delivery where status = 'PENDING'")
			.query((rs, n) -> new Backlog(rs.getLong(1), instant(rs.getTimestamp(2))))
			.single();
	}

	long failingEndpoints() {
		return this.jdbc.sql("select count(*) from webhook_endpoint where failing_since is not null")
			.query(Long.class)
			.single();
	}

	static boolean isPostgres(DataSource dataSource) {
		try {
			return "PostgreSQL".equalsIgnoreCase(
					JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
		}
		catch (MetaDataAccessException ex) {
			return false;
		}
	}

}
