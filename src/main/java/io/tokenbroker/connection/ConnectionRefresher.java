package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

import io.tokenbroker.connection.LeasedRefresh.Attempt;
import io.tokenbroker.connection.RefreshOutcome.Result;
import io.tokenbroker.oauth.ProviderException;

import org.springframework.stereotype.Component;

/**
 * Refreshes one connection, at most once at a time across every replica.
 * <ul>
 * <li>Inside a JVM, concurrent callers share one refresh (single flight).</li>
 * <li>Across replicas, a lease in the row (owner and deadline) admits one refresher ({@link LeasedRefresh});
 * {@link LeaseKeeper} renews it while the replica holds the connection, so a slow provider never lets a second replica
 * in. A read that finds the lease taken waits here for the other replica's result.</li>
 * <li>Under the lease the row is read again, so a refresh that someone else has just finished is not repeated, and
 * the refresh token sent is always the newest one.</li>
 * <li>The new pair is stored by a compare-and-set on the version that also releases the lease: the refresh token just
 * used is never sent again, and a refresher that lost its lease cannot overwrite newer tokens. A rejected refresh only
 * expires the connection if that fence still holds; otherwise someone else refreshed it, and the row is re-read.</li>
 * </ul>
 */
@Component
class ConnectionRefresher {

	private static final Duration POLL = Duration.ofMillis(100);

	private final ConnectionStore store;

	private final LeasedRefresh leased;

	private final RefreshPolicy policy;

	private final RefreshProperties properties;

	private final RefreshRecorder recorder;

	private final Clock clock;

	private final ConcurrentMap<String, CompletableFuture<Optional<ConnectionRow>>> inFlight = new ConcurrentHashMap<>();

	ConnectionRefresher(ConnectionStore store, LeasedRefresh leased, RefreshPolicy policy,
			RefreshProperties properties, RefreshRecorder recorder, Clock clock) {
		this.store = store;
		this.leased = leased;
		this.policy = policy;
		this.properties = properties;
		this.recorder = recorder;
		this.clock = clock;
	}

	/**
	 * On demand: refreshes the connection if a read still needs it (its token expiring, or a refresh in flight),
	 * waiting up to {@link RefreshProperties#waitForOtherReplica()} for a refresh another replica is doing, and
	 * returns its current state (empty when it was deleted meanwhile). A refresh in flight whose refresher died is
	 * taken over once its lease runs out. The token of the returned row may still be old, or still in flight, when
	 * the wait ran out; the caller decides whether it can serve it.
	 * @throws ProviderException when the provider refused or failed; the connection is then updated accordingly
	 */
	Optional<ConnectionRow> refresh(String id) {
		return refreshWaiting(id, RefreshTrigger.ON_DEMAND,
				(row) -> row.status() == ConnectionStatus.ACTIVE
						&& (row.refreshInFlight() ? this.policy.shouldTakeOverOnRead(row, now())
								: this.policy.shouldRefreshOnRead(row, now())));
	}

	/**
	 * Like {@link #refresh}, for a token the provider rejected: refreshes unless the connection has changed since
	 * {@code rejectedVersion} (then someone else already replaced the token).
	 */
	Optional<ConnectionRow> refreshRejected(String id, long rejectedVersion) {
		return refreshWaiting(id, RefreshTrigger.REJECTED,
				(row) -> row.status() == ConnectionStatus.ACTIVE && row.version() == rejectedVersion);
	}

	private Optional<ConnectionRow> refreshWaiting(String id, RefreshTrigger trigger,
			Predicate<ConnectionRow> needed) {
		Instant deadline = now().plus(this.properties.waitForOtherReplica());
		while (true) {
			CompletableFuture<Optional<ConnectionRow>> mine = new CompletableFuture<>();
			CompletableFuture<Optional<ConnectionRow>> running = this.inFlight.putIfAbsent(id, mine);
			if (running == null) {
				try {
					Optional<ConnectionRow> row = refreshOrWait(id, trigger, needed, deadline);
					mine.complete(row);
					return row;
				}
				catch (RuntimeException ex) {
					mine.completeExceptionally(ex);
					throw ex;
				}
				finally {
					this.inFlight.remove(id, mine);
				}
			}
			Optional<ConnectionRow> row = join(running);
			// The refresh joined may not have been the one needed (a scheduled one that found the lease taken).
			if (row.isEmpty() || !needed.test(row.get()) || !now().isBefore(deadline)) {
				return row;
			}
		}
	}

	/**
	 * For the background refresher: refreshes a connection it claimed if it is still due, never waiting for another
	 * replica (a connection whose lease someone else holds is {@link Result#BUSY}). Failures are recorded on the
	 * connection and returned, not thrown.
	 */
	RefreshOutcome refreshScheduled(String id) {
		CompletableFuture<Optional<ConnectionRow>> mine = new CompletableFuture<>();
		if (this.inFlight.putIfAbsent(id, mine) != null) {
			return RefreshOutcome.of(Result.BUSY);
		}
		try {
			Attempt attempt = this.leased.attempt(id, RefreshTrigger.SCHEDULED, (row) -> row.status() == ConnectionStatus.ACTIVE
					&& row.refreshDueAt() != null && !row.refreshDueAt().isAfter(now()));
			// Readers of this JVM that joined get the row as it is now.
			mine.complete((attempt != null) ? Optional.ofNullable(attempt.row()) : this.store.findById(id));
			return RefreshOutcome.of((attempt != null) ? attempt.result() : Result.BUSY);
		}
		catch (ProviderException ex) {
			mine.completeExceptionally(ex);
			return RefreshOutcome.of(ex);
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			this.recorder.deferAfterError(id, ex);
			return RefreshOutcome.of(Result.FAILED);
		}
		finally {
			this.inFlight.remove(id, mine);
		}
	}

	private Optional<ConnectionRow> refreshOrWait(String id, RefreshTrigger trigger, Predicate<ConnectionRow> needed,
			Instant deadline) {
		while (true) {
			Attempt attempt = this.leased.attempt(id, trigger, needed);
			if (attempt != null) {
				return Optional.ofNullable(attempt.row());
			}
			// Another replica holds the lease: wait until it stores its result, gives up, or its lease runs out.
			Optional<ConnectionRow> row = this.store.findById(id);
			if (row.isEmpty() || !needed.test(row.get()) || !now().isBefore(deadline)) {
				return row;
			}
			sleep();
		}
	}

	/** The connection as stored now (after a failed refresh, which has been recorded). */
	Optional<ConnectionRow> current(String id) {
		return this.store.findById(id);
	}

	private static Optional<ConnectionRow> join(CompletableFuture<Optional<ConnectionRow>> running) {
		try {
			return running.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	private Instant now() {
		return Instant.now(this.clock);
	}

	private static void sleep() {
		try {
			Thread.sleep(POLL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a refresh", ex);
		}
	}

}
