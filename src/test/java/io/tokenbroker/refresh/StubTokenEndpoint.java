package io.tokenbroker.refresh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal rotating token endpoint for the refresher benchmark: answers each refresh after a fixed latency with a
 * new pair, accepts each refresh token once, and counts refreshes and refusals (a refusal is a double refresh).
 */
final class StubTokenEndpoint implements AutoCloseable {

	private final HttpServer server;

	/** Threads named "stub-" so the benchmark can tell their CPU time from the brokers'. */
	private final ExecutorService pool = Executors.newFixedThreadPool(512, new ThreadFactory() {

		private final AtomicLong count = new AtomicLong();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "stub-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	});

	private final Duration latency;

	private final Set<String> valid = ConcurrentHashMap.newKeySet();

	private final AtomicLong refreshes = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private StubTokenEndpoint(Duration latency) throws IOException {
		this.latency = latency;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
		this.server.createContext("/token", this::token);
		this.server.setExecutor(this.pool);
		this.server.start();
	}

	static StubTokenEndpoint start(Duration latency) throws IOException {
		return new StubTokenEndpoint(latency);
	}

	String tokenUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/token";
	}

	/** Makes {@code refreshToken} valid, as if issued by an authorization. */
	void issued(String refreshToken) {
		this.valid.add(refreshToken);
	}

	long refreshes() {
		return this.refreshes.get();
	}

	long refused() {
		return this.refused.get();
	}

	private void token(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			Map<String, String> form = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			boolean current = this.valid.remove(form.getOrDefault("refresh_token", ""));
			String body;
			int status;
			if (current) {
				String next = "rt-" + UUID.randomUUID();
				this.valid.add(next);
				this.refreshes.incrementAndGet();
				status = 200;
				body = "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"refresh_token\":\"" + next
						+ "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";
			}
			else {
				this.refused.incrementAndGet();
				status = 400;
				body = "{\"error\":\"invalid_grant\"}";
			}
			Thread.sleep(this.latency.toMillis());
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Map<String, String> parse(String form) {
		Map<String, String> params = new HashMap<>();
		for (String pair : form.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		return params;
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.pool.shutdownNow();
	}

}
