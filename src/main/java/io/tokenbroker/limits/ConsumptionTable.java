package io.tokenbroker.limits;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code rate_limit_consumption}: per shared bucket, the total its replicas consumed, and the tokens its last writer
 * had left then. One statement exchanges all of a replica's buckets: it adds their consumption and answers each row's
 * total before the addition, so a replica can tell what the others consumed.
 */
final class ConsumptionTable {

	/**
	 * Rows are locked in key order (no deadlock between replicas writing overlapping batches). The last writer's
	 * tokens are read from the statement's snapshot (before the upsert); the upsert sees the latest committed total,
	 * so a write of another replica committed meanwhile is neither lost nor counted twice. The previous rows are
	 * joined in the outer query, not in a CTE joined with the input: the planner then looks each key up in the
	 * primary key (a CTE join was planned as a nested loop over the whole input, quadratic in the batch).
	 */
	private static final String EXCHANGE = """
			with input as (
			    select * from unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) as i(key, delta, tokens, keep_ms)
			), written as (
			    insert into rate_limit_consumption as r (key, consumed, tokens, synced_at, expires_at)
			    select key, delta, tokens, now(), now() + keep_ms * interval '1 millisecond'
			    from input where delta <> 0 order by key
			    on conflict (key) do update set consumed = r.consumed + excluded.consumed, tokens = excluded.tokens,
			        synced_at = excluded.synced_at, expires_at = excluded.expires_at
			    returning r.key, r.consumed
			)
			select i.key, coalesce(w.consumed - i.delta, p.consumed) as consumed_before, p.tokens,
			       (extract(epoch from (now() - p.synced_at)) * 1000)::bigint as age_ms
			from input i left join rate_limit_consumption p on p.key = i.key left join written w on w.key = i.key
			where w.key is not null or p.key is not null
			""";

	/**
	 * A bucket's consumption since the last synchronization, the tokens left in this replica's copy, and how long its
	 * row is kept once nobody writes it (past the time the bucket takes to fill up again).
	 */
	record Write(String key, long delta, long tokens, long keepMillis) {
	}

	/**
	 * A row's total before this write; the tokens its previous writer had left and how long ago (null: no row before).
	 */
	record Row(String key, long consumedBefore, Long lastWriterTokens, Long lastWriteAgeMillis) {
	}

	private final JdbcClient jdbc;

	ConsumptionTable(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
	}

	List<Row> exchange(List<Write> writes) {
		int n = writes.size();
		String[] keys = new String[n];
		long[] deltas = new long[n];
		long[] tokens = new long[n];
		long[] keep = new long[n];
		for (int i = 0; i < n; i++) {
			Write w = writes.get(i);
			keys[i] = w.key();
			deltas[i] = w.delta();
			tokens[i] = w.tokens();
			keep[i] = w.keepMillis();
		}
		return this.jdbc.sql(EXCHANGE)
			.params(keys, deltas, tokens, keep)
			.query((rs, i) -> new Row(rs.getString(1), rs.getLong(2), rs.getObject(3, Long.class),
					rs.getObject(4, Long.class)))
			.list();
	}

	/** Deletes the rows nobody wrote for longer than they were to be kept. */
	int deleteExpired() {
		return this.jdbc.sql("delete from rate_limit_consumption where expires_at < now()").update();
	}

}
