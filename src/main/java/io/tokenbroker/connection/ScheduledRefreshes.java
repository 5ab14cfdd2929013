package io.tokenbroker.connection;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the background refresher may do with connections. The semantics (leases, rotation safety, failure handling)
 * live behind this interface; the scheduler only decides when and how many.
 */
public interface ScheduledRefreshes {

	/**
	 * Claims up to {@code limit} connections that are due, oldest due first, for this replica: their lease is taken
	 * (and kept alive) so that no other replica claims or refreshes them. Connections of {@code skipProviders} are
	 * left alone.
	 */
	List<DueConnection> claimDue(int limit, Collection<String> skipProviders);

	/**
	 * Refreshes a claimed connection if it is still due. Never waits for another replica: a connection whose lease
	 * someone else holds is {@link RefreshOutcome.Result#BUSY}. Failures are recorded on the connection, not thrown.
	 */
	RefreshOutcome refreshScheduled(String connectionId);

	/**
	 * Gives a claimed connection back without refreshing it, so another replica can take it at once; with
	 * {@code notBefore}, nobody claims it before then.
	 */
	void releaseClaim(String connectionId, Instant notBefore);

	/**
	 * The providers not to claim for now: their circuit breaker is open, so their calls would be refused. Their due
	 * connections wait, unclaimed and without a failure recorded, until trial calls are let through.
	 */
	Set<String> pausedProviders();

	/** The due backlog, across all replicas. */
	RefreshBacklog backlog();

}
