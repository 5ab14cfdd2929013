package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.tokenbroker.oauth.ProviderCircuitBreakers;

import org.springframework.stereotype.Component;

/** What the background refresher may do with connections: claim, refresh, give back, and look at the backlog. */
@Component
class RefreshClaims implements ScheduledRefreshes {

	private final LeaseStore leases;

	private final LeaseKeeper keeper;

	private final ConnectionRefresher refresher;

	private final Clock clock;

	private final ProviderCircuitBreakers breakers;

	RefreshClaims(LeaseStore leases, LeaseKeeper keeper, ConnectionRefresher refresher, Clock clock,
			ProviderCircuitBreakers breakers) {
		this.leases = leases;
		this.keeper = keeper;
		this.refresher = refresher;
		this.clock = clock;
		this.breakers = breakers;
	}

	@Override
	public List<DueConnection> claimDue(int limit, Collection<String> skipProviders) {
		Instant now = Instant.now(this.clock);
		List<DueConnection> claimed = this.leases.claimDue(this.keeper.owner(), this.keeper.refreshLeaseUntil(now), now,
				limit, skipProviders);
		// From now on the heartbeat keeps these leases alive until they are refreshed or given back.
		claimed.forEach((c) -> this.keeper.hold(c.id()));
		return claimed;
	}

	@Override
	public RefreshOutcome refreshScheduled(String connectionId) {
		return this.refresher.refreshScheduled(connectionId);
	}

	@Override
	public void releaseClaim(String connectionId, Instant notBefore) {
		this.keeper.drop(connectionId);
		if (notBefore == null) {
			this.leases.release(connectionId, this.keeper.owner());
		}
		else {
			this.leases.releaseAndDefer(connectionId, this.keeper.owner(), notBefore);
		}
	}

	@Override
	public Set<String> pausedProviders() {
		return this.breakers.open();
	}

	@Override
	public RefreshBacklog backlog() {
		return this.leases.backlog(Instant.now(this.clock));
	}

}
