package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.RefreshOutcome.Result;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.oauth.TokenResult;

import org.springframework.stereotype.Component;

/**
 * Refreshes one connection, at most once at a time across every replica.
 * <ul>
 * <li>Inside a JVM, concurrent callers share one refresh (single flight).</li>
 * <li>Across replicas, a lease in the row (owner and deadline) admits one refresher; {@link LeaseKeeper} renews it
 * while the replica holds the connection, so a slow provider never lets a second replica in.</li>
 * <li>Under the lease the row is read again, so a refresh that someone else has just finished is not repeated, and
 * the refresh token sent is always the newest one.</li>
 * <li>The new pair is stored by a compare-and-set on the version that also releases the lease: the refresh token just
 * used is never sent again, and a refresher that lost its lease cannot overwrite newer tokens. A rejected refresh only
 * expires the connection if that fence still holds; otherwise someone else refreshed it, and the row is re-read.</li>
 * </ul>
 */
@Component
public class ConnectionRefresher implements ScheduledRefreshes {

	private static final Duration POLL = Duration.ofMillis(100);

	private final ConnectionStore store;

	private final LeaseStore leases;

	private final LeaseKeeper keeper;

	private final ConnectionSecrets secrets;

	private final ProviderCatalog catalog;

	private final TokenEndpoint tokenEndpoint;

	private final RefreshPolicy policy;

	private final RefreshProperties properties;

	private final RefreshRecorder recorder;

	private final Clock clock;

	private final ConcurrentMap<String, CompletableFuture<Optional<ConnectionRow>>> inFlight = new ConcurrentHashMap<>();

	ConnectionRefresher(ConnectionStore store, LeaseStore leases, LeaseKeeper keeper, ConnectionSecrets secrets,
			ProviderCatalog catalog, TokenEndpoint tokenEndpoint, RefreshPolicy policy, RefreshProperties properties,
			RefreshRecorder recorder, Clock clock) {
		this.store = store;
		this.leases = leases;
		this.keeper = keeper;
		this.secrets = secrets;
		this.catalog = catalog;
		this.tokenEndpoint = tokenEndpoint;
		this.policy = policy;
		this.properties = properties;
		this.recorder = recorder;
		this.clock = clock;
	}

	/**
	 * On demand: refreshes the connection if a read still needs it, waiting up to
	 * {@link RefreshProperties#waitForOtherReplica()} for a refresh another replica is doing, and returns its current
	 * state (empty when it was deleted meanwhile). The token of the returned row may still be old when the wait ran
	 * out; the caller decides whether it can serve it.
	 * @throws ProviderException when the provider refused or failed; the connection is then updated accordingly
	 */
	Optional<ConnectionRow> refresh(String id) {
		Instant deadline = now().plus(this.properties.waitForOtherReplica());
		while (true) {
			CompletableFuture<Optional<ConnectionRow>> mine = new CompletableFuture<>();
			CompletableFuture<Optional<ConnectionRow>> running = this.inFlight.putIfAbsent(id, mine);
			if (running == null) {
				return lead(id, mine, () -> refreshOnDemand(id, deadline));
			}
			Optional<ConnectionRow> row = join(running);
			// A scheduled attempt that found the lease taken did not refresh: then wait like any other reader.
			if (row.isEmpty() || !stillNeededOnRead(row.get()) || !now().isBefore(deadline)) {
				return row;
			}
		}
	}

	@Override
	public RefreshOutcome refreshScheduled(String id) {
		CompletableFuture<Optional<ConnectionRow>> mine = new CompletableFuture<>();
		if (this.inFlight.putIfAbsent(id, mine) != null) {
			return RefreshOutcome.of(Result.BUSY);
		}
		RefreshOutcome[] outcome = { RefreshOutcome.of(Result.BUSY) };
		try {
			lead(id, mine, () -> {
				Attempt attempt = underLease(id, Trigger.SCHEDULED);
				if (attempt == null) {
					return this.store.findById(id);
				}
				outcome[0] = RefreshOutcome.of(attempt.result());
				return Optional.ofNullable(attempt.row());
			});
			return outcome[0];
		}
		catch (ProviderException ex) {
			return RefreshOutcome.of(ex);
		}
		catch (RuntimeException ex) {
			this.recorder.deferAfterError(id, ex);
			return RefreshOutcome.of(Result.FAILED);
		}
	}

	@Override
	public List<DueConnection> claimDue(int limit, Collection<String> skipProviders) {
		Instant now = now();
		List<DueConnection> claimed = this.leases.claimDue(this.keeper.owner(), this.keeper.leaseUntil(now), now,
				limit, skipProviders);
		claimed.forEach((c) -> this.keeper.hold(c.id()));
		return claimed;
	}

	@Override
	public void releaseClaim(String id, Instant notBefore) {
		this.keeper.drop(id);
		if (notBefore == null) {
			this.leases.release(id, this.keeper.owner());
		}
		else {
			this.leases.releaseAndDefer(id, this.keeper.owner(), notBefore);
		}
	}

	@Override
	public RefreshBacklog backlog() {
		return this.leases.backlog(now());
	}

	private Optional<ConnectionRow> lead(String id, CompletableFuture<Optional<ConnectionRow>> mine,
			java.util.function.Supplier<Optional<ConnectionRow>> work) {
		try {
			Optional<ConnectionRow> row = work.get();
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

	private Optional<ConnectionRow> refreshOnDemand(String id, Instant deadline) {
		while (true) {
			Attempt attempt = underLease(id, Trigger.ON_DEMAND);
			if (attempt != null) {
				return Optional.ofNullable(attempt.row());
			}
			// Another replica holds the lease: wait until it stores its result, gives up, or its lease runs out.
			Optional<ConnectionRow> row = this.store.findById(id);
			if (row.isEmpty() || !stillNeededOnRead(row.get()) || !now().isBefore(deadline)) {
				return row;
			}
			sleep();
		}
	}

	/** One attempt under the lease, or null when another replica holds it. */
	private Attempt underLease(String id, Trigger trigger) {
		Instant now = now();
		if (!this.leases.tryLease(id, this.keeper.owner(), this.keeper.leaseUntil(now), now)) {
			return null;
		}
		this.keeper.hold(id);
		Attempt attempt = null;
		try {
			attempt = attemptHolding(id, trigger, now);
			return attempt;
		}
		finally {
			this.keeper.drop(id);
			if (attempt == null || attempt.result() != Result.REFRESHED) {
				this.leases.release(id, this.keeper.owner());
			}
		}
	}

	private Attempt attemptHolding(String id, Trigger trigger, Instant now) {
		ConnectionRow row = this.store.findById(id).orElse(null);
		if (row == null) {
			return new Attempt(null, Result.NOT_DUE);
		}
		boolean needed = (trigger == Trigger.SCHEDULED) ? row.refreshDueAt() != null
				&& !row.refreshDueAt().isAfter(now) : this.policy.shouldRefreshOnRead(row, now);
		if (row.status() != ConnectionStatus.ACTIVE || !needed) {
			return new Attempt(row, Result.NOT_DUE);
		}
		String refreshToken = this.secrets.refreshToken(row);
		if (refreshToken == null) {
			return this.recorder.withoutRefreshToken(row, trigger, now);
		}
		Provider provider = this.catalog.require(row.integrationType());
		TokenResult result;
		try {
			result = this.tokenEndpoint.refresh(provider, row.connectorConfig(), refreshToken,
					row.connectorScopes());
		}
		catch (ProviderException ex) {
			return this.recorder.failed(row, ex, trigger);
		}
		return this.recorder.succeeded(row, result, trigger);
	}

	private boolean stillNeededOnRead(ConnectionRow row) {
		return row.status() == ConnectionStatus.ACTIVE && this.policy.shouldRefreshOnRead(row, now());
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

	/** Who asked for a refresh; also a metrics tag. */
	enum Trigger {

		ON_DEMAND, SCHEDULED;

		String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** What one attempt under the lease left behind: the row as it now is (null when deleted), and the result. */
	record Attempt(ConnectionRow row, Result result) {
	}

}
