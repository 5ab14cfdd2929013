package io.tokenbroker.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An app's frontend on its own origin ({@code http://localhost:<port>}, another port than the broker's): serves the
 * app's page at every path, its settings as {@code /config.js} and the browser bundle as {@code /app.js}.
 */
public final class AppPageServer implements AutoCloseable {

	private final HttpServer server;

	private final byte[] page;

	private final byte[] bundle;

	private volatile String configuration = "{}";

	public AppPageServer(Path bundle) {
		try (InputStream html = AppPageServer.class.getResourceAsStream("/base44/app-page.html")) {
			this.page = html.readAllBytes();
			this.bundle = Files.readAllBytes(bundle);
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::serve);
		this.server.start();
	}

	/** The page's origin, as the browser names it. */
	public String origin() {
		return "http://localhost:" + this.server.getAddress().getPort();
	}

	/** The settings the page's script reads: a JSON object. */
	public void configure(String json) {
		this.configuration = json;
	}

	public String configuration() {
		return this.configuration;
	}

	private void serve(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		byte[] body;
		String type;
		if (path.equals("/app.js")) {
			body = this.bundle;
			type = "text/javascript";
		}
		else if (path.equals("/config.js")) {
			body = ("window.APP_CONFIG = " + this.configuration + ";").getBytes(StandardCharsets.UTF_8);
			type = "text/javascript";
		}
		else if (path.equals("/favicon.ico")) {
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
			return;
		}
		else {
			body = this.page;
			type = "text/html";
		}
		exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
