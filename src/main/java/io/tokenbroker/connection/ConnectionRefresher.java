package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.oauth.TokenResult;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Refreshes one connection, at most once at a time across every replica.
 * <ul>
 * <li>Inside a JVM, concurrent callers share one refresh (single flight).</li>
 * <li>Across replicas, a lease in the row (owner and deadline) admits one refresher; the lease is renewed while the
 * provider call runs, so a slow provider never lets a second replica in.</li>
 * <li>The new pair is stored by a compare-and-set on the version that also releases the lease, so the refresh token
 * just used is never sent again, and a refresher that lost its lease cannot overwrite newer tokens.</li>
 * </ul>
 */
@Component
public class ConnectionRefresher implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ConnectionRefresher.class);

	private static final Duration POLL = Duration.ofMillis(100);

	private final ConnectionStore store;

	private final ConnectionSecrets secrets;

	private final ProviderCatalog catalog;

	private final TokenEndpoint tokenEndpoint;

	private final RefreshPolicy policy;

	private final RefreshProperties properties;

	private final Clock clock;

	private final MeterRegistry metrics;

	private final String owner = UUID.randomUUID().toString();

	private final ConcurrentMap<String, CompletableFuture<ConnectionRow>> inFlight = new ConcurrentHashMap<>();

	private final ScheduledExecutorService leaseKeeper = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "refresh-lease-keeper");
		thread.setDaemon(true);
		return thread;
	});

	ConnectionRefresher(ConnectionStore store, ConnectionSecrets secrets, ProviderCatalog catalog,
			TokenEndpoint tokenEndpoint, RefreshPolicy policy, RefreshProperties properties, Clock clock,
			MeterRegistry metrics) {
		this.store = store;
		this.secrets = secrets;
		this.catalog = catalog;
		this.tokenEndpoint = tokenEndpoint;
		this.policy = policy;
		this.properties = properties;
		this.clock = clock;
		this.metrics = metrics;
	}

	/**
	 * Refreshes the connection if it still needs it ({@code force} for the scheduler, which refreshes ahead of the read
	 * skew) and returns its current state.
	 * @throws ProviderException when the provider refused or failed; the connection is then updated accordingly
	 */
	ConnectionRow refresh(String connectionId, boolean force) {
		CompletableFuture<ConnectionRow> mine = new CompletableFuture<>();
		CompletableFuture<ConnectionRow> running = this.inFlight.putIfAbsent(connectionId, mine);
		if (running != null) {
			try {
				return running.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		}
		try {
			ConnectionRow row = refreshUnderLease(connectionId, force);
			mine.complete(row);
			return row;
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.inFlight.remove(connectionId, mine);
		}
	}

	private ConnectionRow refreshUnderLease(String id, boolean force) {
		Instant now = Instant.now(this.clock);
		if (!this.store.tryLease(id, this.owner, now.plus(this.properties.lease()), now)) {
			return awaitOtherReplica(id);
		}
		ScheduledFuture<?> renewal = null;
		try {
			ConnectionRow row = this.store.findById(id).orElseThrow(() -> new IllegalStateException("gone"));
			if (row.status() != ConnectionStatus.ACTIVE || !stillDue(row, force, now)) {
				return row;
			}
			String refreshToken = this.secrets.refreshToken(row);
			if (refreshToken == null) {
				return expireWithoutRefreshToken(row, now);
			}
			Provider provider = this.catalog.require(row.integrationType());
			long renewEvery = Math.max(1, this.properties.lease().toMillis() / 3);
			renewal = this.leaseKeeper.scheduleAtFixedRate(
					() -> this.store.renewLease(id, this.owner,
							Instant.now(this.clock).plus(this.properties.lease())),
					renewEvery, renewEvery, TimeUnit.MILLISECONDS);
			TokenResult result;
			try {
				result = this.tokenEndpoint.refresh(provider, row.connectorConfig(), refreshToken,
						row.connectorScopes());
			}
			finally {
				renewal.cancel(false);
			}
			return store(row, result);
		}
		catch (ProviderException ex) {
			recordFailure(id, ex);
			throw ex;
		}
		finally {
			this.store.releaseLease(id, this.owner);
		}
	}

	private boolean stillDue(ConnectionRow row, boolean force, Instant now) {
		if (row.expiresAt() == null) {
			return false;
		}
		return force ? !row.expiresAt().isAfter(now.plus(this.properties.window()).plus(this.properties.jitter()))
				: this.policy.mustRefreshBeforeServing(row.expiresAt(), now);
	}

	private ConnectionRow store(ConnectionRow row, TokenResult result) {
		Instant now = Instant.now(this.clock);
		ConnectionKey key = ConnectionKey.of(row);
		boolean stored = this.store.saveRefresh(row.id(), row.version(),
				this.secrets.encryptAccess(key, result.accessToken()),
				this.secrets.encryptRefresh(key, result.refreshToken()), result.expiresAt(), result.grantedScopes(),
				this.policy.refreshDueAt(result.expiresAt(), result.refreshToken() != null, now), now);
		count(row.integrationType(), stored ? "success" : "superseded", "none");
		if (!stored) {
			log.warn("Refresh of connection {} was superseded by a newer write", row.id());
		}
		return this.store.findById(row.id()).orElse(row);
	}

	private ConnectionRow expireWithoutRefreshToken(ConnectionRow row, Instant now) {
		if (row.expiresAt() != null && !row.expiresAt().isAfter(now)) {
			this.store.markStatus(row.id(), row.version(), ConnectionStatus.EXPIRED,
					"The access token expired and the provider issued no refresh token.", now);
			count(row.integrationType(), "failure", "no_refresh_token");
		}
		return this.store.findById(row.id()).orElse(row);
	}

	private void recordFailure(String id, ProviderException ex) {
		ConnectionRow row = this.store.findById(id).orElse(null);
		if (row == null) {
			return;
		}
		Instant now = Instant.now(this.clock);
		String reason = "Refresh failed: " + ex.getMessage();
		if (ex.kind() == ProviderException.Kind.GRANT_INVALID) {
			this.store.markStatus(id, row.version(), ConnectionStatus.EXPIRED, reason, now);
		}
		else {
			Duration delay = this.policy.retryDelay(row.refreshFailures(), ex.retryAfter());
			this.store.recordRefreshFailure(id, this.owner, reason, now.plus(delay));
		}
		count(row.integrationType(), "failure", ex.error());
		log.info("Refresh of connection {} ({}) failed: {} [{}]", id, row.integrationType(), ex.error(), ex.kind());
	}

	/** Another replica holds the lease: wait until it stores its result or gives the lease up. */
	private ConnectionRow awaitOtherReplica(String id) {
		ConnectionRow first = this.store.findById(id).orElseThrow(() -> new IllegalStateException("gone"));
		Instant deadline = Instant.now(this.clock).plus(this.properties.waitForOtherReplica());
		ConnectionRow row = first;
		while (Instant.now(this.clock).isBefore(deadline)) {
			sleep();
			row = this.store.findById(id).orElse(row);
			if (row.version() != first.version() || row.leaseOwner() == null) {
				return row;
			}
		}
		return row;
	}

	private void count(String provider, String outcome, String reason) {
		this.metrics.counter("broker.refresh.attempts", "provider", provider, "outcome", outcome, "reason",
				(reason != null) ? reason : "unknown").increment();
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

	@Override
	public void destroy() {
		this.leaseKeeper.shutdownNow();
	}

}
