package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionRows.ts;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for refresh leases: an owner and a deadline in the connection row. Whoever holds an unexpired lease is the only
 * one who may send the connection's refresh token. Lease bookkeeping never bumps the version.
 * <p>
 * Lease deadlines are written and compared in the database's time ({@code current_timestamp}), never a replica's: a
 * replica whose clock runs ahead would otherwise see a live lease as expired and send the same refresh token again.
 * Callers pass instants of their own clock: only the distance between {@code until} and {@code now} is used for a
 * lease, while {@code now} decides which connections are due (their due times were computed with that clock too).
 * <p>
 * Claims on PostgreSQL take a batch in one statement with {@code FOR UPDATE SKIP LOCKED}, so replicas claiming at
 * the same moment get disjoint batches instead of queueing on each other's rows. Other databases (H2 in dev mode)
 * select candidates and take each lease with a compare-and-set, which is just as safe, only chattier.
 */
@Repository
class LeaseStore {

	private static final String DUE = """
			c.status = 'ACTIVE' and c.refresh_due_at <= ?
			and (c.lease_until is null or c.lease_until < current_timestamp)
			""";

	/** Rows per lease renewal statement, well under every driver's parameter limit. */
	private static final int RENEW_CHUNK = 500;

	private final JdbcClient jdbc;

	private final boolean skipLocked;

	LeaseStore(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.skipLocked = UnnestUpdates.isPostgres(dataSource);
	}

	/** Takes the lease unless another owner holds an unexpired one (re-entrant for its owner). */
	boolean tryLease(String id, String owner, Instant until, Instant now) {
		return this.jdbc.sql("""
				update connection set lease_owner = ?, lease_until = %s
				where id = ? and (lease_until is null or lease_until < current_timestamp or lease_owner = ?)
				""".formatted(databaseTimePlus(Duration.between(now, until)))).params(owner, id, owner).update() == 1;
	}

	/**
	 * Extends the leases {@code owner} still holds among {@code ids} to at least {@code until} (never shortens one);
	 * returns how many it still holds.
	 */
	int renew(String owner, Duration lease, Collection<String> ids) {
		List<String> all = new ArrayList<>(ids);
		String until = databaseTimePlus(lease);
		int renewed = 0;
		for (int from = 0; from < all.size(); from += RENEW_CHUNK) {
			List<String> chunk = all.subList(from, Math.min(all.size(), from + RENEW_CHUNK));
			List<Object> params = new ArrayList<>();
			params.add(owner);
			params.addAll(chunk);
			renewed += this.jdbc
				.sql("update connection set lease_until = case when lease_until < " + until + " then " + until
						+ " else lease_until end where lease_owner = ? and id in (" + marks(chunk.size()) + ")")
				.params(params)
				.update();
		}
		return renewed;
	}

	void release(String id, String owner) {
		this.jdbc.sql("update connection set lease_owner = null, lease_until = null where id = ? and lease_owner = ?")
			.params(id, owner)
			.update();
	}

	/** Releases the lease and keeps the connection from being claimed again before {@code notBefore}. */
	void releaseAndDefer(String id, String owner, Instant notBefore) {
		this.jdbc.sql("""
				update connection set lease_owner = null, lease_until = null,
				       refresh_due_at = case when refresh_due_at < ? then ? else refresh_due_at end
				where id = ? and lease_owner = ?
				""").params(ts(notBefore), ts(notBefore), id, owner).update();
	}

	/** Leases up to {@code limit} due connections for {@code owner}, oldest due first. */
	List<DueConnection> claimDue(String owner, Instant until, Instant now, int limit, Collection<String> skipTypes) {
		String skip = skipTypes.isEmpty() ? "" : " and k.integration_type not in (" + marks(skipTypes.size()) + ")";
		String leaseUntil = databaseTimePlus(Duration.between(now, until));
		List<Object> params = new ArrayList<>(List.of(ts(now)));
		params.addAll(skipTypes);
		if (this.skipLocked) {
			List<Object> all = new ArrayList<>(List.of(owner));
			all.addAll(params);
			all.add(limit);
			return this.jdbc.sql("""
					update connection u set lease_owner = ?, lease_until = %s
					from connector uk
					where uk.id = u.connector_id and u.id in (
					    select c.id from connection c join connector k on k.id = c.connector_id
					    where %s %s
					    order by c.refresh_due_at
					    limit ?
					    for update of c skip locked)
					returning u.id, uk.integration_type
					""".formatted(leaseUntil, DUE, skip))
				.params(all)
				.query((rs, n) -> new DueConnection(rs.getString(1), rs.getString(2)))
				.list();
		}
		List<DueConnection> candidates = this.jdbc.sql("""
				select c.id, k.integration_type from connection c join connector k on k.id = c.connector_id
				where %s %s
				order by c.refresh_due_at
				fetch first %d rows only
				""".formatted(DUE, skip, limit))
			.params(params)
			.query((rs, n) -> new DueConnection(rs.getString(1), rs.getString(2)))
			.list();
		List<DueConnection> claimed = new ArrayList<>();
		for (DueConnection candidate : candidates) {
			boolean taken = this.jdbc.sql("""
					update connection c set lease_owner = ?, lease_until = %s
					where c.id = ? and %s
					""".formatted(leaseUntil, DUE)).params(owner, candidate.id(), ts(now)).update() == 1;
			if (taken) {
				claimed.add(candidate);
			}
		}
		return claimed;
	}

	RefreshBacklog backlog(Instant now) {
		return this.jdbc
			.sql("select count(*), min(refresh_due_at) from connection where status = 'ACTIVE' and refresh_due_at <= ?")
			.param(ts(now))
			.query((rs, n) -> {
				OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
				return new RefreshBacklog(rs.getLong(1), (oldest != null) ? oldest.toInstant() : null);
			})
			.single();
	}

	/**
	 * The database's current time plus {@code duration}, as SQL (standard interval syntax, understood by PostgreSQL
	 * and H2). The literal is built from a duration of ours, never from input.
	 */
	static String databaseTimePlus(Duration duration) {
		long millis = Math.max(0, duration.toMillis());
		return "(current_timestamp + interval '%d.%03d' second)".formatted(millis / 1000, millis % 1000);
	}

	private static String marks(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

}
