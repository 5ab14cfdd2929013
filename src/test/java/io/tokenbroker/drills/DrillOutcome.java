package io.tokenbroker.drills;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TokenEndpointMonitor;

/**
 * What the drill left behind, once every replica is up again and nothing is in flight: each connection read once
 * more (a token the provider has revoked, still served, would be a loss nobody noticed), the connections the brokers
 * marked as needing re-authorization (each expected among those stranded by a stop), the refresh tokens presented
 * more than once at the server, and the interrupted refreshes the brokers recorded in the audit trail.
 */
final class DrillOutcome {

	private final DrillReplicas replicas;

	private final DrillDatabase database;

	private final StrictAuthorizationServer server;

	private final List<String> tokens;

	DrillOutcome(DrillReplicas replicas, DrillDatabase database, StrictAuthorizationServer server,
			List<String> tokens) {
		this.replicas = replicas;
		this.database = database;
		this.server = server;
		this.tokens = tokens;
	}

	List<String> report(Set<String> stranded) throws Exception {
		Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
		Set<String> servedRevoked = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		for (int i = 0; i < this.tokens.size(); i++) {
			int connection = i;
			pool.submit(() -> {
				List<Integer> up = this.replicas.upReplicas();
				BrokerClient broker = new BrokerClient(this.replicas.url(up.get(connection % up.size())));
				BrokerClient.Response read;
				try {
					read = broker.get("/connectors/" + ReplicaKillDrill.TYPE + "/connection",
							this.tokens.get(connection));
				}
				catch (RuntimeException ex) {
					answers.computeIfAbsent("no answer", (a) -> new AtomicLong()).incrementAndGet();
					return;
				}
				String answer = String.valueOf(read.status());
				if (read.status() == 200) {
					if (this.server.tokenEndpoint().revokedAt(read.json().get("accessToken").asString()) != null) {
						servedRevoked.add(ReplicaKillDrill.app(connection));
						answer = "200 with a revoked token";
					}
				}
				else {
					answer += " " + read.json().path("code").asString("");
				}
				answers.computeIfAbsent(answer, (a) -> new AtomicLong()).incrementAndGet();
			});
		}
		pool.shutdown();
		pool.awaitTermination(10, TimeUnit.MINUTES);

		Set<String> lost = this.database.appsWithStatus("EXPIRED");
		Set<String> lostUnexplained = new LinkedHashSet<>(lost);
		lostUnexplained.removeAll(stranded);
		TokenEndpointMonitor monitor = this.server.tokenEndpoint();
		long reused = monitor.refreshTokenUses().values().stream().filter((uses) -> uses > 1).count();
		Map<String, Long> finalAnswers = new TreeMap<>();
		answers.forEach((answer, count) -> finalAnswers.put(answer, count.get()));

		List<String> lines = new ArrayList<>();
		lines.add("connections lost (re-authorization required): " + lost.size() + ", of which not stranded by a stop: "
				+ lostUnexplained.size() + (lostUnexplained.isEmpty() ? "" : " " + first(lostUnexplained)));
		lines.add("connections served with a revoked token after the drill (a loss not detected): "
				+ servedRevoked.size() + (servedRevoked.isEmpty() ? "" : " " + first(servedRevoked)));
		lines.add("connections by status: " + this.database.statuses() + "; final read of each: " + finalAnswers);
		lines.add("interrupted refreshes in the audit trail: " + this.database.interruptedRefreshes());
		lines.add("refresh tokens presented more than once (reuse): " + reused + "; grants revoked for reuse: "
				+ monitor.revokedGrants());
		lines.add("refresh requests at the server: " + monitor.refreshRequests() + ", granted "
				+ monitor.refreshesGranted() + ", refused invalid_grant " + monitor.invalidGrants());
		return lines;
	}

	private static String first(Set<String> apps) {
		return apps.stream().limit(5).toList().toString();
	}

}
