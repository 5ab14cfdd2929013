package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.oauth.ProviderClientProperties;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * This replica's identity as a lease owner, and the heartbeat that keeps its leases alive: every third of the lease
 * duration, one statement extends the lease of every connection this replica holds (claimed and waiting, or being
 * refreshed). A lease taken to refresh also covers the provider call's timeouts on its own. A slow provider therefore
 * never lets a second replica in, while a dead replica's leases simply run out. Only connections registered here are
 * renewed, so a lease this replica forgot cannot live forever.
 */
@Component
class LeaseKeeper implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

	private final String owner = UUID.randomUUID().toString();

	private final Set<String> held = ConcurrentHashMap.newKeySet();

	private final LeaseStore leases;

	private final RefreshProperties properties;

	private final Clock clock;

	private volatile long lastRenewal = System.nanoTime();

	private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "refresh-lease-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	/** The longest a provider call can take: beyond it the HTTP client gives up. */
	private final Duration callBound;

	LeaseKeeper(LeaseStore leases, RefreshProperties properties, ProviderClientProperties provider, Clock clock) {
		this.leases = leases;
		this.properties = properties;
		this.callBound = provider.connectTimeout().plus(provider.readTimeout());
		this.clock = clock;
		long every = Math.max(50, properties.lease().toMillis() / 3);
		this.heartbeat.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
	}

	String owner() {
		return this.owner;
	}

	/** The deadline the heartbeat keeps pushing out for every connection held here. */
	Instant leaseUntil(Instant now) {
		return now.plus(this.properties.lease());
	}

	/**
	 * The deadline of a lease taken to refresh: long enough to cover the provider call even if no heartbeat got
	 * through meanwhile (a starved JVM, a database hiccup), so that the refresh token in flight cannot be sent again
	 * by another replica before this one has stored its successor.
	 */
	Instant refreshLeaseUntil(Instant now) {
		return leaseUntil(now).plus(this.callBound);
	}

	/** Whether a lease running until {@code until} still covers a provider call starting now. */
	boolean coversCall(Instant until, Instant now) {
		return until != null && until.isAfter(now.plus(this.callBound));
	}

	void hold(String id) {
		this.held.add(id);
	}

	void drop(String id) {
		this.held.remove(id);
	}

	private void renewAll() {
		long now = System.nanoTime();
		long sinceLast = TimeUnit.NANOSECONDS.toMillis(now - this.lastRenewal);
		this.lastRenewal = now;
		if (this.held.isEmpty()) {
			return;
		}
		if (sinceLast > this.properties.lease().toMillis() * 2 / 3) {
			// Starved of CPU or database connections: leases may have run out, and another replica taken over.
			log.warn("Refresh lease heartbeat ran {} ms after the previous one (lease {}); increase "
					+ "broker.refresh.lease if this repeats", sinceLast, this.properties.lease());
		}
		try {
			List<String> ids = List.copyOf(this.held);
			int renewed = this.leases.renew(this.owner, this.properties.lease(), ids);
			if (renewed < ids.size()) {
				log.debug("Renewed {} of {} refresh leases (the others were released meanwhile)", renewed,
						ids.size());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not renew refresh leases: {}", ex.toString());
		}
	}

	@Override
	public void destroy() {
		// Leases still held here belong to refreshes that outlived shutdown; they run out on their own.
		this.heartbeat.shutdownNow();
	}

}
