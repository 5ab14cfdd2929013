package io.tokenbroker.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on 127.0.0.1: records every request to {@code /hooks/<name>} (answered or not) and verifies
 * signatures the way the Standard Webhooks specification tells receivers to, independently of the broker's code.
 * Each name can be told how to answer: a status, a Retry-After, a delay.
 */
public final class WebhookReceiver implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(64);

	private final Map<String, ConcurrentLinkedQueue<Received>> received = new ConcurrentHashMap<>();

	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private volatile Duration delay = Duration.ZERO;

	/** One request as it arrived. */
	public record Received(String id, String timestamp, String signature, String body, Instant at, int answeredWith) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		/** Whether one of the request's signatures is valid for {@code secret}, its timestamp within 5 minutes. */
		public boolean verifies(String secret) {
			return signedWith(secret) && Math.abs(Long.parseLong(this.timestamp) - at.getEpochSecond()) <= 300;
		}

		private boolean signedWith(String secret) {
			byte[] expected = hmac(secret, this.id + "." + this.timestamp + "." + this.body);
			return Arrays.stream(this.signature.split(" "))
				.filter((s) -> s.startsWith("v1,"))
				.map((s) -> Base64.getDecoder().decode(s.substring(3)))
				.anyMatch((s) -> MessageDigest.isEqual(s, expected));
		}

	}

	private record Answer(int status, String retryAfter) {
	}

	private WebhookReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
		this.server.setExecutor(this.executor);
		this.server.createContext("/hooks/", this::handle);
		this.server.start();
	}

	public static WebhookReceiver start() {
		try {
			return new WebhookReceiver();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String url(String name) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks/" + name;
	}

	/** Answers requests to {@code name} with {@code status} (and this Retry-After, when not null) from now on. */
	public void answer(String name, int status, String retryAfter) {
		this.answers.put(name, new Answer(status, retryAfter));
	}

	/** Every answer takes this long (a receiver doing some work). */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** How many requests {@code name} got, without copying them. */
	public int count(String name) {
		ConcurrentLinkedQueue<Received> requests = this.received.get(name);
		return (requests != null) ? requests.size() : 0;
	}

	public List<Received> received(String name) {
		ConcurrentLinkedQueue<Received> requests = this.received.get(name);
		return (requests != null) ? List.copyOf(requests) : List.of();
	}

	/** The requests to {@code name} that were answered with 2xx. */
	public List<Received> accepted(String name) {
		return received(name).stream().filter((r) -> r.answeredWith() / 100 == 2).toList();
	}

	/** Waits until a request to {@code name} that was accepted matches. */
	public Received await(String name, Predicate<Received> matching, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			for (Received r : accepted(name)) {
				if (matching.test(r)) {
					return r;
				}
			}
			sleep(50);
		}
		throw new AssertionError("No matching webhook at " + name + " within " + timeout + "; received: "
				+ received(name));
	}

	private void handle(HttpExchange exchange) throws IOException {
		String name = exchange.getRequestURI().getPath().substring("/hooks/".length());
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		if (!this.delay.isZero()) {
			sleep(this.delay.toMillis());
		}
		Answer answer = this.answers.getOrDefault(name, new Answer(204, null));
		this.received.computeIfAbsent(name, (n) -> new ConcurrentLinkedQueue<>())
			.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
					exchange.getRequestHeaders().getFirst("webhook-timestamp"),
					exchange.getRequestHeaders().getFirst("webhook-signature"), body, Instant.now(), answer.status()));
		if (answer.retryAfter() != null) {
			exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
		}
		exchange.sendResponseHeaders(answer.status(), -1);
		exchange.close();
	}

	static byte[] hmac(String secret, String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
