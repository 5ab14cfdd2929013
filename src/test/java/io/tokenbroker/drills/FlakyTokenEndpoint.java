package io.tokenbroker.drills;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import io.tokenbroker.support.MockIdp;

/**
 * Token endpoints of a provider in trouble: one answers 503, one hangs. Authorization still happens at the mock
 * authorization server, so the broker receives a real code and fails only when it redeems it.
 */
final class FlakyTokenEndpoint implements AutoCloseable {

	static final String FAILING = "flaky-503";

	static final String HANGING = "flaky-hang";

	private final HttpServer server;

	private FlakyTokenEndpoint(HttpServer server) {
		this.server = server;
	}

	static FlakyTokenEndpoint start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.setExecutor(Executors.newCachedThreadPool());
			server.createContext("/503/token", (exchange) -> {
				byte[] body = "{\"error\":\"temporarily_unavailable\"}".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(503, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.createContext("/hang/token", (exchange) -> {
				try {
					Thread.sleep(60_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				exchange.close();
			});
			server.start();
			return new FlakyTokenEndpoint(server);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	Map<String, String> providerProperties() {
		Map<String, String> p = new LinkedHashMap<>();
		String base = "http://127.0.0.1:" + this.server.getAddress().getPort();
		for (Map.Entry<String, String> type : Map.of(FAILING, "/503/token", HANGING, "/hang/token").entrySet()) {
			String prefix = "broker.providers." + type.getKey() + ".";
			p.put(prefix + "authorization-url", MockIdp.server().authorizationEndpointUrl(MockIdp.issuer()).toString());
			p.put(prefix + "token-url", base + type.getValue());
			p.put(prefix + "scopes", "openid");
			p.put(prefix + "client-id", "broker-client");
			p.put(prefix + "client-secret", MockIdp.CLIENT_SECRET);
		}
		return p;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
