package io.tokenbroker.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per-provider admission for the background refresher: at most a fixed number of refresh calls to one provider at
 * once, and none while the provider has asked us to back off (429 or Retry-After). Thread-safe.
 */
class ProviderThrottle {

	private final int maxConcurrentPerProvider;

	private final Clock clock;

	private final Map<String, Integer> running = new HashMap<>();

	private final Map<String, Instant> pausedUntil = new HashMap<>();

	ProviderThrottle(int maxConcurrentPerProvider, Clock clock) {
		this.maxConcurrentPerProvider = maxConcurrentPerProvider;
		this.clock = clock;
	}

	/** Takes a slot for a call to {@code provider} unless it is paused or at its limit. */
	synchronized boolean tryAcquire(String provider) {
		if (pausedUntil(provider) != null || running(provider) >= this.maxConcurrentPerProvider) {
			return false;
		}
		this.running.merge(provider, 1, Integer::sum);
		return true;
	}

	synchronized void release(String provider) {
		this.running.computeIfPresent(provider, (p, n) -> (n > 1) ? n - 1 : null);
	}

	/** Leaves {@code provider} alone for {@code duration} (extends a longer pause, never shortens it). */
	synchronized Instant pause(String provider, Duration duration) {
		Instant until = Instant.now(this.clock).plus(duration);
		return this.pausedUntil.merge(provider, until, (a, b) -> a.isAfter(b) ? a : b);
	}

	/** The end of the provider's pause, or null when it is not paused. */
	synchronized Instant pausedUntil(String provider) {
		Instant until = this.pausedUntil.get(provider);
		if (until != null && !until.isAfter(Instant.now(this.clock))) {
			this.pausedUntil.remove(provider);
			return null;
		}
		return until;
	}

	synchronized int running(String provider) {
		return this.running.getOrDefault(provider, 0);
	}

	synchronized boolean atLimit(String provider, int waiting) {
		return running(provider) + waiting >= this.maxConcurrentPerProvider;
	}

	/** Providers that are paused now. */
	synchronized Set<String> paused() {
		Set<String> paused = new HashSet<>();
		for (String provider : Set.copyOf(this.pausedUntil.keySet())) {
			if (pausedUntil(provider) != null) {
				paused.add(provider);
			}
		}
		return paused;
	}

}
