package io.tokenbroker.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Many concurrent {@code GET /connectors/{type}/connection} calls, all in flight at once. */
public final class AsyncReads {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(10))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private AsyncReads() {
	}

	/** One answer: status, body and when it arrived. */
	public record Read(int status, String body, Instant at) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public String accessToken() {
			return json().get("accessToken").asString();
		}

	}

	/** Sends {@code count} reads spread round-robin over {@code brokers} and waits for all of them. */
	public static List<Read> readAll(List<BrokerClient> brokers, String type, String serviceToken, int count,
			Duration timeout) {
		List<CompletableFuture<Read>> pending = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			BrokerClient broker = brokers.get(i % brokers.size());
			HttpRequest request = HttpRequest
				.newBuilder(URI.create(broker.baseUrl() + "/connectors/" + type + "/connection"))
				.header("Authorization", "Bearer " + serviceToken)
				.timeout(timeout)
				.GET()
				.build();
			pending.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
				.thenApply((r) -> new Read(r.statusCode(), r.body(), Instant.now())));
		}
		List<Read> reads = new ArrayList<>();
		for (CompletableFuture<Read> read : pending) {
			try {
				reads.add(read.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS));
			}
			catch (Exception ex) {
				throw new IllegalStateException("A read did not complete", ex);
			}
		}
		return reads;
	}

}
