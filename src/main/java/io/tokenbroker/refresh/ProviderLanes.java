package io.tokenbroker.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tokenbroker.connection.DueConnection;

/**
 * The background refresher's bookkeeping, one lane per provider: connections claimed and waiting for a slot, the
 * provider's running calls and pause ({@link ProviderThrottle}), and how many claimed connections are not finished.
 * Thread-safe; never calls out while holding its lock.
 */
class ProviderLanes {

	private final ProviderThrottle throttle;

	private final int maxOutstanding;

	private final Map<String, Deque<DueConnection>> waiting = new HashMap<>();

	private int outstanding;

	ProviderLanes(int maxConcurrentPerProvider, int maxOutstanding, Clock clock) {
		this.throttle = new ProviderThrottle(maxConcurrentPerProvider, clock);
		this.maxOutstanding = maxOutstanding;
	}

	/** What to do next in a provider's lane. */
	record Dispatch(List<DueConnection> start, List<DueConnection> giveBack, Instant notBefore) {
	}

	/** How many more connections may be claimed now. */
	synchronized int room() {
		return this.maxOutstanding - this.outstanding;
	}

	/**
	 * Providers not to claim for: paused ones, and ones with connections still waiting for a slot (they get more once
	 * those have started).
	 */
	synchronized Set<String> skipped() {
		Set<String> skip = new HashSet<>(this.throttle.paused());
		this.waiting.forEach((provider, queue) -> {
			if (!queue.isEmpty()) {
				skip.add(provider);
			}
		});
		return skip;
	}

	synchronized void add(List<DueConnection> claimed) {
		this.outstanding += claimed.size();
		claimed.forEach((c) -> this.waiting.computeIfAbsent(c.provider(), (p) -> new ArrayDeque<>()).add(c));
	}

	/**
	 * Takes what may start in the provider's lane now (the started ones hold a slot until {@link #finished}); while
	 * the provider is paused, or when {@code keep} is false (shutdown), takes everything waiting to be given back.
	 */
	synchronized Dispatch next(String provider, boolean keep) {
		Deque<DueConnection> queue = this.waiting.getOrDefault(provider, new ArrayDeque<>());
		Instant notBefore = this.throttle.pausedUntil(provider);
		List<DueConnection> start = new ArrayList<>();
		List<DueConnection> giveBack = new ArrayList<>();
		if (!keep || notBefore != null) {
			giveBack.addAll(queue);
			queue.clear();
			this.outstanding -= giveBack.size();
		}
		else {
			while (!queue.isEmpty() && this.throttle.tryAcquire(provider)) {
				start.add(queue.poll());
			}
		}
		return new Dispatch(start, giveBack, notBefore);
	}

	/**
	 * A started connection is done (or could not start). Returns whether it is worth claiming more now: the provider
	 * has a free slot and nothing waiting, or three quarters of the room is free.
	 */
	synchronized boolean finished(String provider) {
		this.throttle.release(provider);
		this.outstanding--;
		Deque<DueConnection> queue = this.waiting.get(provider);
		boolean providerHasRoom = (queue == null || queue.isEmpty()) && !this.throttle.atLimit(provider, 0);
		return providerHasRoom || this.outstanding <= this.maxOutstanding - Math.max(1, this.maxOutstanding / 4);
	}

	synchronized Instant pause(String provider, Duration duration) {
		return this.throttle.pause(provider, duration);
	}

	/** Everything claimed and not started, removed from the lanes (shutdown). */
	synchronized List<DueConnection> drainWaiting() {
		List<DueConnection> all = new ArrayList<>();
		this.waiting.values().forEach((queue) -> {
			all.addAll(queue);
			queue.clear();
		});
		this.outstanding -= all.size();
		return all;
	}

	synchronized int outstanding() {
		return this.outstanding;
	}

}
