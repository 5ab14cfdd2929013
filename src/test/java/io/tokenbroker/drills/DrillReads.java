package io.tokenbroker.drills;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.support.StrictAuthorizationServer;

/**
 * The drill's read load: token reads of random connections at a steady rate (open loop: a slow answer does not slow
 * the load down), spread round-robin over the replicas that are up. A read that gets no answer (its replica was
 * killed) is sent once more to another replica, as a load balancer retries a refused connection. Every token served
 * is checked against the authorization server: already revoked there (superseded by a refresh, or its grant revoked)
 * or already expired when the read was sent.
 */
final class DrillReads {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Reads allowed on their way at once; beyond, a tick is skipped (and counted). */
	private static final int MAX_OUTSTANDING = 2_000;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();

	private final DrillReplicas replicas;

	private final List<String> serviceTokens;

	private final StrictAuthorizationServer server;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger outstanding = new AtomicInteger();

	private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong revokedBeforeSent = new AtomicLong();

	private final AtomicLong revokedWhileInFlight = new AtomicLong();

	private final AtomicLong expired = new AtomicLong();

	private final AtomicLong rerouted = new AtomicLong();

	private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

	DrillReads(DrillReplicas replicas, List<String> serviceTokens, StrictAuthorizationServer server) {
		this.replicas = replicas;
		this.serviceTokens = serviceTokens;
		this.server = server;
	}

	void start(int perSecond) {
		long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
		this.ticks.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
	}

	/** Stops sending and waits (up to a minute) for the reads on their way. */
	void stop() throws InterruptedException {
		this.ticks.shutdownNow();
		Instant deadline = Instant.now().plusSeconds(60);
		while (this.outstanding.get() > 0 && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
		}
	}

	private void tick() {
		if (this.outstanding.get() >= MAX_OUTSTANDING) {
			count("skipped (too many reads on their way)");
			return;
		}
		this.sent.incrementAndGet();
		this.outstanding.incrementAndGet();
		int connection = ThreadLocalRandom.current().nextInt(this.serviceTokens.size());
		read(connection, Instant.now(), -1);
	}

	private void read(int connection, Instant sentAt, int previousReplica) {
		List<Integer> up = this.replicas.upReplicas();
		up.remove(Integer.valueOf(previousReplica));
		if (up.isEmpty()) {
			done((previousReplica < 0) ? "no replica up" : "no answer, and no other replica up", sentAt);
			return;
		}
		int replica = up.get(Math.floorMod(this.next.getAndIncrement(), up.size()));
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.replicas.url(replica) + "/connectors/strictidp/connection"))
			.header("Authorization", "Bearer " + this.serviceTokens.get(connection))
			.timeout(Duration.ofSeconds(60))
			.build();
		this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
			if (failure != null) {
				if (previousReplica < 0) {
					this.rerouted.incrementAndGet();
					read(connection, sentAt, replica);
				}
				else {
					done("no answer (" + rootCause(failure).getClass().getSimpleName() + ")", sentAt);
				}
				return;
			}
			done(classify(response, sentAt), sentAt);
		});
	}

	private String classify(HttpResponse<String> response, Instant sentAt) {
		JsonNode json;
		try {
			json = JSON.readTree(response.body());
		}
		catch (RuntimeException ex) {
			return response.statusCode() + " (not JSON)";
		}
		if (response.statusCode() != 200) {
			return response.statusCode() + " " + json.path("code").asString("");
		}
		String accessToken = json.path("accessToken").asString("");
		Instant revokedAt = this.server.tokenEndpoint().revokedAt(accessToken);
		if (revokedAt != null && revokedAt.isBefore(sentAt)) {
			this.revokedBeforeSent.incrementAndGet();
		}
		else if (revokedAt != null) {
			this.revokedWhileInFlight.incrementAndGet();
		}
		if (!this.server.accepts(accessToken, sentAt)) {
			this.expired.incrementAndGet();
		}
		return "200";
	}

	private void done(String answer, Instant sentAt) {
		count(answer);
		this.latencies.add(Duration.between(sentAt, Instant.now()).toMillis());
		this.outstanding.decrementAndGet();
	}

	private void count(String answer) {
		this.answers.computeIfAbsent(answer, (a) -> new AtomicLong()).incrementAndGet();
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** What the reads came to, one line each. */
	List<String> report() {
		List<String> lines = new ArrayList<>();
		Map<String, Long> byAnswer = new TreeMap<>();
		this.answers.forEach((answer, count) -> byAnswer.put(answer, count.get()));
		long failed = byAnswer.entrySet().stream().filter((e) -> !e.getKey().equals("200")).mapToLong(Map.Entry::getValue)
			.sum();
		lines.add("reads sent: " + this.sent.get() + "; answers: " + byAnswer);
		lines.add("reads failed: " + failed + " (every answer but 200)");
		lines.add("reads sent again to another replica after no answer: " + this.rerouted.get());
		lines.add("reads served a token the provider had revoked before the read was sent: "
				+ this.revokedBeforeSent.get());
		lines.add("reads served a token the provider revoked while the read was on its way: "
				+ this.revokedWhileInFlight.get());
		lines.add("reads served a token expired (or not valid) when the read was sent: " + this.expired.get());
		List<Long> sorted;
		synchronized (this.latencies) {
			sorted = new ArrayList<>(this.latencies);
		}
		Collections.sort(sorted);
		if (!sorted.isEmpty()) {
			lines.add("read latency ms: p50 " + percentile(sorted, 50) + ", p99 " + percentile(sorted, 99) + ", p99.9 "
					+ percentile(sorted, 99.9) + ", max " + sorted.get(sorted.size() - 1));
		}
		return lines;
	}

	long revokedBeforeSent() {
		return this.revokedBeforeSent.get();
	}

	private static long percentile(List<Long> sorted, double p) {
		int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

}
