package io.tokenbroker.webhook;

import static io.tokenbroker.webhook.EndpointStore.instant;
import static io.tokenbroker.webhook.EndpointStore.ts;

import java.sql.DatabaseMetaData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

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

	private static final String DUE = """
			status = 'PENDING' and next_attempt_at <= ? and (lease_until is null or lease_until < ?)
			""";

	private final JdbcClient jdbc;

	private final boolean skipLocked;

	private final TransactionTemplate transaction;

	DeliveryStore(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
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
					where id in (select id from webhook_delivery where %s
					             order by next_attempt_at limit ? for update skip locked)
					returning id
					""".formatted(DUE))
				.params(owner, ts(leaseUntil), ts(now), ts(now), limit)
				.query(Long.class)
				.list();
		}
		else {
			ids = new ArrayList<>();
			List<Long> candidates = this.jdbc
				.sql("select id from webhook_delivery where " + DUE + " order by next_attempt_at limit ?")
				.params(ts(now), ts(now), limit)
				.query(Long.class)
				.list();
			for (Long id : candidates) {
				if (this.jdbc.sql("update webhook_delivery set lease_owner = ?, lease_until = ? where id = ? and " + DUE)
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
				       p.enabled, p.consecutive_failures, p.secret, p.previous_secret, p.previous_secret_until
				from webhook_delivery d join webhook_event e on e.id = d.event_id
				     join webhook_endpoint p on p.id = d.endpoint_id
				where d.id in (%s)
				order by d.id
				""".formatted(String.join(",", Collections.nCopies(ids.size(), "?"))))
			.params(new ArrayList<Object>(ids))
			.query((rs, n) -> new DueDelivery(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
					rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9),
					rs.getString(10), rs.getBoolean(11), rs.getInt(12), new EndpointStore.Secrets(rs.getString(13),
							rs.getString(14), instant(rs.getTimestamp(15)))))
			.list();
	}

	/** Writes the attempt to the log and the delivery's new state (if this owner still holds it), in one commit. */
	void record(DueDelivery delivery, String owner, Outcome outcome) {
		this.transaction.executeWithoutResult((tx) -> write(delivery, owner, outcome));
	}

	private void write(DueDelivery delivery, String owner, Outcome outcome) {
		this.jdbc.sql("""
				insert into webhook_attempt (delivery_id, attempted_at, status_code, error, latency_ms, next_attempt_at)
				values (?, ?, ?, ?, ?, ?)
				""").params(delivery.id(), ts(outcome.at()), outcome.statusCode(), outcome.error(), outcome.latencyMs(),
				ts(outcome.nextAttemptAt())).update();
		this.jdbc.sql("""
				update webhook_delivery set status = ?, attempts = attempts + 1, next_attempt_at = ?, lease_owner = null,
				       lease_until = null, last_status = ?, last_error = ?, last_latency_ms = ?, last_attempt_at = ?,
				       finished_at = ?
				where id = ? and lease_owner = ?
				""").params(outcome.status(), ts(outcome.nextAttemptAt()), outcome.statusCode(), outcome.error(),
				outcome.latencyMs(), ts(outcome.at()), (outcome.nextAttemptAt() == null) ? ts(outcome.at()) : null,
				delivery.id(), owner).update();
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

	private static boolean isPostgres(DataSource dataSource) {
		try {
			return "PostgreSQL".equalsIgnoreCase(
					JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
		}
		catch (MetaDataAccessException ex) {
			return false;
		}
	}

}
