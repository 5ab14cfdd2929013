package io.tokenbroker.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends generated hostile requests ({@link HostileRequests}) to a running broker and prints the answers by status and
 * the requests that broke the rules. Run by bench/drills/hostile.sh.
 * <p>
 * Arguments: host port count seed threads [scopeless-service-token]. Exits 1 when any request broke the rules.
 */
public final class HostileDrill {

	private HostileDrill() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		int count = Integer.parseInt(args[2]);
		long seed = Long.parseLong(args[3]);
		int threads = Integer.parseInt(args[4]);
		String token = (args.length > 5 && !args[5].isBlank()) ? args[5] : null;
		Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
		Map<String, AtomicLong> violations = new ConcurrentHashMap<>();
		List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
		AtomicLong next = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<?>> workers = new ArrayList<>();
		long started = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			long threadSeed = seed + t;
			workers.add(pool.submit(() -> {
				HostileRequests generator = new HostileRequests(threadSeed, token);
				while (next.getAndIncrement() < count) {
					HostileRequests.Generated request = generator.next();
					String answer = exchange(host, port, request.bytes());
					int status = HostileRequests.status(answer);
					byStatus.computeIfAbsent(status, (s) -> new AtomicLong()).incrementAndGet();
					String violation = HostileRequests.violation(request, answer);
					if (violation != null) {
						String kind = violation.substring(0, Math.min(violation.length(), 30));
						if (violations.computeIfAbsent(kind, (k) -> new AtomicLong()).incrementAndGet() <= 3) {
							examples.add(request.description() + " -> " + violation);
						}
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		double seconds = (System.nanoTime() - started) / 1e9;
		long sent = byStatus.values().stream().mapToLong(AtomicLong::get).sum();
		System.out.printf("requests %d in %.0f s (seed %d, %d threads)%n", sent, seconds, seed, threads);
		new TreeMap<>(byStatus).forEach((status, n) -> System.out.printf("  status %s: %d%n",
				(status == 0) ? "closed" : status, n.get()));
		long broken = violations.values().stream().mapToLong(AtomicLong::get).sum();
		System.out.println("rule violations: " + broken);
		examples.forEach((e) -> System.out.println("  " + e));
		System.exit((broken == 0) ? 0 : 1);
	}

	static String exchange(String host, int port, byte[] request) {
		try (Socket socket = new Socket(host, port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n; (n = in.read(buffer)) >= 0;) {
					answer.write(buffer, 0, n);
				}
			}
			catch (SocketTimeoutException ex) {
				// Keep what arrived.
			}
			return answer.toString(StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			return "";
		}
	}

}
