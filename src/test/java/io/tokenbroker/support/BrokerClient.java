package io.tokenbroker.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the broker's public API; never follows redirects, so tests see each hop. */
public class BrokerClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * One HTTP client for every broker client of the test JVM, as a browser has one: its connections to each broker
	 * are kept alive and reused. A client per broker client cost a TCP connection and a selector thread per request
	 * in the suites that send thousands of them.
	 */
	private static final HttpClient HTTP = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	public BrokerClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String baseUrl() {
		return this.baseUrl;
	}

	public Response get(String path, String token) {
		return send(request(path, token).GET().build());
	}

	public Response put(String path, String token, String json) {
		return send(request(path, token).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	public Response post(String path, String token, String json) {
		HttpRequest.Builder builder = request(path, token);
		if (json != null) {
			builder.header("Content-Type", "application/json");
		}
		return send(builder.POST((json != null) ? HttpRequest.BodyPublishers.ofString(json)
				: HttpRequest.BodyPublishers.noBody()).build());
	}

	public Response delete(String path, String token) {
		return send(request(path, token).DELETE().build());
	}

	/** GET of an absolute URL (a provider page, the callback), with an optional Accept header. */
	public Response getUrl(String url, String accept) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (accept != null) {
			builder.header("Accept", accept);
		}
		return send(builder.GET().build());
	}

	public Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	/** A response with its body parsed as JSON when it is JSON. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public JsonNode json() {
			return JSON.readTree(this.raw.body());
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public String contentType() {
			return header("Content-Type");
		}

		@Override
		public String toString() {
			return this.raw.statusCode() + " " + this.raw.body();
		}

	}

}
