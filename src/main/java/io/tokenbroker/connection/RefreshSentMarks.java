package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionRows.ts;

import java.time.Instant;
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
 * Marks rows as having their refresh token sent ({@link ConnectionStore#markRefreshSent}), in groups
 * ({@link GroupCommit}). The mark changes what reads see, so it notifies every replica, and it must be committed
 * before the token leaves: one notifying commit per refresh was the database's largest cost per refresh. The refreshes
 * that are about to call their provider while a group of marks is being committed go together in the next one; each
 * caller returns only once its own mark is committed, and each row is still its own compare-and-set on version and
 * lease.
 */
@Component
class RefreshSentMarks {

	private static final int MAX_GROUP = 256;

	private static final String MARK = """
			update connection set refresh_sent_at = current_timestamp,
			       refresh_due_at = case when refresh_due_at is null or refresh_due_at > ? then ? else refresh_due_at end
			where id = ? and version = ? and lease_owner = ? and lease_until > current_timestamp
			""";

	private static final String MARK_GROUP = """
			update connection c set refresh_sent_at = current_timestamp,
			       refresh_due_at = case when c.refresh_due_at is null or c.refresh_due_at > m.now::timestamptz
			                        then m.now::timestamptz else c.refresh_due_at end
			from (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as u(id, version, owner, now)
			      order by id) as m
			where c.id = m.id and c.version = m.version::bigint and c.lease_owner = m.owner
			  and c.lease_until > current_timestamp
			returning c.id
			""";

	private static final List<Function<SentMark, Object>> COLUMNS = List.of(SentMark::id, SentMark::version,
			SentMark::owner, SentMark::now);

	private final JdbcTemplate jdbc;

	private final ConnectionRowCache cache;

	private final TransactionTemplate transaction;

	private final boolean postgres;

	private final GroupCommit<SentMark> groups;

	RefreshSentMarks(JdbcTemplate jdbc, ConnectionRowCache cache, PlatformTransactionManager transactionManager,
			DataSource dataSource) {
		this.jdbc = jdbc;
		this.cache = cache;
		// A group carries other callers' marks, and each must be durable when its caller returns: always its own
		// transaction.
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.postgres = UnnestUpdates.isPostgres(dataSource);
		this.groups = new GroupCommit<>("refresh-sent marks", MAX_GROUP, SentMark::id, this::markTogether,
				this::markAlone);
	}

	/** See {@link ConnectionStore#markRefreshSent}. */
	boolean mark(String id, String owner, long version, Instant now) {
		return this.groups.submit(new SentMark(id, owner, version, now));
	}

	private Set<String> markTogether(List<SentMark> group) {
		return this.transaction.execute((tx) -> {
			Set<String> marked = this.postgres ? UnnestUpdates.update(this.jdbc, MARK_GROUP, group, COLUMNS)
					: batch(group);
			group.forEach((m) -> this.cache.evictWritten(m.id()));
			return marked;
		});
	}

	private boolean markAlone(SentMark mark) {
		return Boolean.TRUE.equals(this.transaction.execute((tx) -> {
			boolean marked = this.jdbc.update(MARK, mark.parameters()) == 1;
			this.cache.evictWritten(mark.id());
			return marked;
		}));
	}

	private Set<String> batch(List<SentMark> group) {
		int[] counts = this.jdbc.batchUpdate(MARK, group.stream().map(SentMark::parameters).toList());
		Set<String> marked = new HashSet<>();
		for (int i = 0; i < group.size(); i++) {
			if (counts[i] == 1) {
				marked.add(group.get(i).id());
			}
		}
		return marked;
	}

	/** One refresh about to send its refresh token: the row, the lease owner, the version read, and the time. */
	private record SentMark(String id, String owner, long version, Instant now) {

		Object[] parameters() {
			return new Object[] { ts(this.now), ts(this.now), this.id, this.version, this.owner };
		}

	}

}
