package io.tokenbroker.connection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for writes that notify the replicas' row caches. PostgreSQL serializes the commits of notifying
 * transactions (each holds the notification lock through its WAL flush), so one transaction per write caps the
 * whole deployment at one write per flush. Here the writes submitted while a group is being written go together in
 * the next one.
 * <p>
 * No thread of its own and no waiting for company: a caller that finds nobody writing writes at once, taking along
 * whatever is queued; the others queue behind it, and each returns only once its own write is committed (or has
 * failed). A group that fails is written again item by item, so that one bad item never costs the others their
 * write. Two items for the same row never go in one group: a multi-row statement would apply only one of them.
 * @param <T> what one caller writes
 */
final class GroupCommit<T> {

	private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

	private final String what;

	private final int maxGroup;

	private final Function<T, String> rowId;

	private final Function<List<T>, Set<String>> together;

	private final Predicate<T> alone;

	private final Queue<Pending<T>> queue = new ConcurrentLinkedQueue<>();

	/** Held by the caller writing a group; a lock rather than a monitor, so a virtual thread would not pin. */
	private final ReentrantLock writing = new ReentrantLock();

	/**
	 * @param what what the items are, for the log
	 * @param maxGroup items per group at most
	 * @param rowId the row an item writes
	 * @param together writes a group in one transaction, returning the ids of the rows it wrote
	 * @param alone writes one item in its own transaction, returning whether it wrote its row
	 */
	GroupCommit(String what, int maxGroup, Function<T, String> rowId, Function<List<T>, Set<String>> together,
			Predicate<T> alone) {
		this.what = what;
		this.maxGroup = maxGroup;
		this.rowId = rowId;
		this.together = together;
		this.alone = alone;
	}

	/** Writes the item with whatever else is queued; returns whether its row was written. Throws what the write threw. */
	boolean submit(T item) {
		Pending<T> mine = new Pending<>(item);
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
		return mine.written;
	}

	/** Writes what is queued (up to a group); called with the lock held. */
	private void writeGroup() {
		List<Pending<T>> group = new ArrayList<>();
		List<Pending<T>> later = new ArrayList<>();
		Set<String> rows = new HashSet<>();
		Pending<T> next;
		while (group.size() < this.maxGroup && (next = this.queue.poll()) != null) {
			(rows.add(this.rowId.apply(next.item)) ? group : later).add(next);
		}
		this.queue.addAll(later);
		if (group.isEmpty()) {
			return;
		}
		try {
			Set<String> written = this.together.apply(group.stream().map((p) -> p.item).toList());
			group.forEach((p) -> p.finish(written.contains(this.rowId.apply(p.item)), null));
		}
		catch (RuntimeException ex) {
			if (group.size() > 1) {
				log.warn("Writing {} {} together failed ({}); writing them one by one", group.size(), this.what,
						ex.getClass().getSimpleName());
			}
			group.forEach(this::writeAlone);
		}
	}

	private void writeAlone(Pending<T> pending) {
		try {
			pending.finish(this.alone.test(pending.item), null);
		}
		catch (RuntimeException ex) {
			pending.finish(false, ex);
		}
	}

	/** One caller's item; its outcome is written and read under the lock. */
	private static final class Pending<T> {

		private final T item;

		private boolean done;

		private boolean written;

		private RuntimeException failure;

		Pending(T item) {
			this.item = item;
		}

		void finish(boolean written, RuntimeException failure) {
			this.written = written;
			this.failure = failure;
			this.done = true;
		}

	}

}
