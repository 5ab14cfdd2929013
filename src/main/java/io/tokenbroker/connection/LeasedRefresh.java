package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.RefreshOutcome.Result;
import io.tokenbroker.oauth.ProviderCircuitBreakers;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.oauth.TokenResult;

import org.springframework.stereotype.Component;

/**
 * One refresh attempt under the connection's lease: takes the lease (or finds it still ours from the claim), lets
 * {@link LeaseKeeper} renew it during the provider call, reads the row again, calls the provider if the row still
 * needs it, and hands the result to {@link RefreshRecorder}. A stored refresh releases the lease with the new tokens;
 * any other outcome releases it here. The row is marked as having its refresh token sent before the call
 * ({@link ConnectionStore#markRefreshSent}); a row found still marked under a lease of ours was left by a refresher
 * that died mid-call, and is refreshed from its stored refresh token, which the provider may refuse as used.
 * <p>
 * A call that was sent and got no answer (read timeout, dropped connection) is such an interrupted refresh too: the
 * provider may have rotated the tokens, so the row stays marked (its access token is not served) and the refresh is
 * taken over at once, by this replica, from the stored refresh token.
 */
@Component
class LeasedRefresh {

	private final ConnectionStore store;

	private final LeaseStore leases;

	private final LeaseKeeper keeper;

	private final ConnectionSecrets secrets;

	private final ProviderCatalog catalog;

	private final TokenEndpoint tokenEndpoint;

	private final RefreshRecorder recorder;

	private final ProviderCircuitBreakers breakers;

	private final Clock clock;

	LeasedRefresh(ConnectionStore store, LeaseStore leases, LeaseKeeper keeper, ConnectionSecrets secrets,
			ProviderCatalog catalog, TokenEndpoint tokenEndpoint, RefreshRecorder recorder,
			ProviderCircuitBreakers breakers, Clock clock) {
		this.store = store;
		this.leases = leases;
		this.keeper = keeper;
		this.secrets = secrets;
		this.catalog = catalog;
		this.tokenEndpoint = tokenEndpoint;
		this.recorder = recorder;
		this.breakers = breakers;
		this.clock = clock;
	}

	/** One attempt under the lease, or null when another replica holds it. */
	Attempt attempt(String id, RefreshTrigger trigger, Predicate<ConnectionRow> needed) {
		Instant now = Instant.now(this.clock);
		ConnectionRow claimed = (trigger == RefreshTrigger.SCHEDULED) ? stillClaimed(id, now) : null;
		if (claimed == null
				&& !this.leases.tryLease(id, this.keeper.owner(), this.keeper.refreshLeaseUntil(now), now)) {
			return null;
		}
		this.keeper.hold(id);
		Attempt attempt = null;
		try {
			ConnectionRow row = (claimed != null) ? claimed : this.store.findById(id).orElse(null);
			attempt = (row == null || !needed.test(row)) ? new Attempt(row, Result.NOT_DUE)
					: attemptHolding(row, trigger, now);
			return attempt;
		}
		finally {
			this.keeper.drop(id);
			if (attempt == null || attempt.result() != Result.REFRESHED) {
				this.leases.release(id, this.keeper.owner());
			}
		}
	}

	/**
	 * The row of a connection this replica claimed, when its lease is still ours for longer than a provider call:
	 * nobody else can take an unexpired lease, and this JVM's other refreshes of it are kept out by the single flight,
	 * so the row read now is the one to refresh from (and one statement is saved per scheduled refresh).
	 */
	private ConnectionRow stillClaimed(String id, Instant now) {
		ConnectionRow row = this.store.findById(id).orElse(null);
		boolean ours = row != null && this.keeper.owner().equals(row.leaseOwner())
				&& this.keeper.coversCall(row.leaseUntil(), now);
		return ours ? row : null;
	}

	/** Refreshes a row that needs it, under this replica's lease. */
	private Attempt attemptHolding(ConnectionRow row, RefreshTrigger trigger, Instant now) {
		String refreshToken = this.secrets.refreshToken(row);
		if (refreshToken == null) {
			return this.recorder.withoutRefreshToken(row, trigger, now);
		}
		Provider provider = this.catalog.require(row.integrationType());
		// A provider whose breaker is open is not called, and the row is left as it is: nothing is marked, no failure
		// recorded, and the caller learns at once how long the provider is left alone.
		this.breakers.acquire(provider.type());
		// Said on the row before the token leaves: should this replica die before storing the answer, the others
		// know that the provider may have superseded the stored tokens already.
		boolean marked = false;
		try {
			marked = this.store.markRefreshSent(row.id(), this.keeper.owner(), row.version(), now);
		}
		finally {
			if (!marked) {
				this.breakers.release(provider.type());
			}
		}
		if (!marked) {
			return new Attempt(this.store.findById(row.id()).orElse(null), Result.NOT_DUE);
		}
		TokenResult result;
		try {
			result = this.breakers.callPermitted(provider.type(), () -> this.tokenEndpoint.refresh(provider,
					row.connectorConfig(), refreshToken, row.connectorScopes()));
		}
		catch (ProviderException ex) {
			if (!ex.isUnanswered()) {
				return this.recorder.failed(row, ex, trigger);
			}
			return takeOverUnanswered(row.markedSent(now), provider, refreshToken, trigger);
		}
		return this.recorder.succeeded(row, result, trigger);
	}

	/**
	 * Repeats a refresh that was sent and never answered, still under the lease and with the row still marked. The
	 * provider accepts the refresh token again when the first request did not reach it (or it does not rotate), and
	 * refuses it when it rotated: then the connection is lost, as after an interrupted refresh of a dead replica.
	 */
	private Attempt takeOverUnanswered(ConnectionRow marked, Provider provider, String refreshToken,
			RefreshTrigger trigger) {
		this.recorder.unanswered(marked, trigger);
		TokenResult result;
		try {
			result = this.breakers.call(provider.type(), () -> this.tokenEndpoint.refresh(provider,
					marked.connectorConfig(), refreshToken, marked.connectorScopes()));
		}
		catch (ProviderException ex) {
			return this.recorder.failed(marked, ex, trigger);
		}
		return this.recorder.succeeded(marked, result, trigger);
	}

	/** What one attempt under the lease left behind: the row as it now is (null when deleted), and the result. */
	record Attempt(ConnectionRow row, Result result) {
	}

}
