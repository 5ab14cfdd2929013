package io.tokenbroker.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores refreshed pairs in groups (group commit). Every token change notifies the replicas' row caches, and
 * PostgreSQL serializes the commits of notifying transactions, each holding its notification lock through its WAL
 * flush: one transaction per refresh would cap the whole deployment at one refresh per flush, a few hundred a second
 * on an ordinary disk, however many replicas run. Here the pairs that arrive while a group is being written go
 * together in the next one: one transaction, one flush, one notification lock, and each row still its own
 * compare-and-set on its version that releases its lease only with the new tokens stored.
 * <p>
 * No thread of its own and no waiting for company: a caller that finds nobody writing writes at once, taking along
 * whatever is queued; the others queue behind it. A group that fails is retried row by row, so that one unstorable
 * pair (or one bad row) never costs the other refreshes of its group their new tokens.
 */
@Component
class RefreshWriter {

	private static final Logger log = LoggerFactory.getLogger(RefreshWriter.class);

	/** Rows per group at most: one statement batch, a transaction of a few milliseconds. */
	private static final int MAX_GROUP = 256;

	private final JdbcTemplate jdbc;

	private final ConnectionStore store;

	private final ConnectionRowCache cache;

	private final TransactionTemplate transaction;

	private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

	/** Held by the caller writing a group; a lock rather than a monitor, so a virtual thread would not pin. */
	private final ReentrantLock writing = new ReentrantLock();

	RefreshWriter(JdbcTemplate jdbc, ConnectionStore store, ConnectionRowCache cache,
			PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.store = store;
		this.cache = cache;
		// A group carries other callers' pairs: never part of whatever transaction the writing caller is in.
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Stores the pair unless the connection changed since its version; returns whether it did. Throws what the
	 * database threw when the pair could not be written.
	 */
	boolean save(RefreshedPair pair) {
		Pending mine = new Pending(pair);
		this.queue.add(mine);
		this.writing.lock();
		try {
			while (!mine.done) {
				writeGroup();
			}
		}
		finally {
			this.writing.unlock();
		}
		if (mine.failure != null) {
			throw mine.failure;
		}
		return mine.saved;
	}

	/** Writes what is queued (up to a group); called with the lock held. */
	private void writeGroup() {
		List<Pending> group = new ArrayList<>();
		Pending next;
		while (group.size() < MAX_GROUP && (next = this.queue.poll()) != null) {
			group.add(next);
		}
		if (group.isEmpty()) {
			return;
		}
		try {
			int[] counts = this.transaction.execute((tx) -> {
				int[] updated = this.jdbc.batchUpdate(ConnectionStore.SAVE_REFRESH,
						group.stream().map((p) -> p.pair.parameters()).toList());
				group.forEach((p) -> this.cache.evictWritten(p.pair.id()));
				return updated;
			});
			for (int i = 0; i < group.size(); i++) {
				group.get(i).finish(counts[i] == 1, null);
			}
		}
		catch (RuntimeException ex) {
			if (group.size() > 1) {
				log.warn("Storing {} refreshed pairs together failed ({}); storing them one by one", group.size(),
						ex.getClass().getSimpleName());
			}
			group.forEach(this::writeAlone);
		}
	}

	private void writeAlone(Pending pending) {
		try {
			pending.finish(Boolean.TRUE.equals(this.transaction.execute((tx) -> this.store.saveRefresh(pending.pair))),
					null);
		}
		catch (RuntimeException ex) {
			pending.finish(false, ex);
		}
	}

	/** One caller's pair; its outcome is written and read under the lock. */
	private static final class Pending {

		private final RefreshedPair pair;

		private boolean done;

		private boolean saved;

		private RuntimeException failure;

		Pending(RefreshedPair pair) {
			this.pair = pair;
		}

		void finish(boolean saved, RuntimeException failure) {
			this.saved = saved;
			this.failure = failure;
			this.done = true;
		}

	}

}
