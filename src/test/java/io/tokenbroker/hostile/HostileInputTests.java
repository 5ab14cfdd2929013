package io.tokenbroker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.RawHttp;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hostile input over every surface (bodies, paths, query strings, headers and raw protocol bytes): each answer is a 4xx
 * problem, never a 5xx, and nothing stored changes (a checksum of the tables before and after). The corpus is fixed
 * plus seeded random cases; failures list the offending requests.
 */
class HostileInputTests extends PostgresBrokerTestBase {

	@Autowired
	JdbcTemplate jdbc;

	/** Generated requests per run here; the drill (bench/drills/hostile.sh) sends 100,000 and more. */
	private static final int SAMPLE = 600;

	private final String owner = ServiceTokens.forApp("app-hostile-owner-" + System.nanoTime());

	private final List<String> failures = new ArrayList<>();

	private String before;

	@BeforeEach
	void storedDataToProtect() {
		OAuthDance.connect(client(), this.owner, MockIdp.TYPE, "{\"connectionConfig\":{\"subdomain\":\"acme\"}}");
		this.before = StoredData.checksum(this.jdbc);
	}

	@AfterEach
	void nothingChanged() {
		assertThat(this.failures).as("requests not answered with a 4xx problem").isEmpty();
		assertThat(StoredData.checksum(this.jdbc)).as("stored data").isEqualTo(this.before);
		assertThat(client().get("/connectors/mockidp/connection", this.owner).status()).isEqualTo(200);
	}

	@Test
	void hostileBodiesAreRefused() {
		List<byte[]> bodies = HostileCorpus.bodies(new Random(HostileCorpus.SEED));
		for (int i = 0; i < bodies.size(); i++) {
			// A new app every 100 requests keeps the rate limits out of the way: this is about parsing.
			String token = ServiceTokens.forApp("app-hostile-" + (i / 100));
			byte[] body = bodies.get(i);
			for (String contentType : List.of("application/json", "application/json; charset=utf-16")) {
				HttpRequest request = client().request("/connectors/" + MockIdp.TYPE_WITH_REQUIRED_CONFIG, token)
					.header("Content-Type", contentType)
					.PUT(HttpRequest.BodyPublishers.ofByteArray(body))
					.build();
				check("PUT body #" + i + " as " + contentType, client().send(request));
			}
		}
	}

	@Test
	void hostileOriginListsAndCrossOriginCallsAreRefused() {
		List<byte[]> bodies = HostileCorpus.bodies(new Random(HostileCorpus.SEED));
		for (int i = 0; i < Math.min(bodies.size(), 300); i++) {
			String token = ServiceTokens.forApp("app-hostile-origins-" + (i / 100));
			check("PUT /allowed-origins body #" + i, client().send(client().request("/allowed-origins", token)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
				.build()));
		}
		for (String origin : List.of("null", "https://evil.example", "file://", "https://app.example.com.evil.net",
				"http://localhost:" + this.port + ".evil", "https://*.example.com", "\t", "x".repeat(5000))) {
			for (String path : List.of("/app-user-connectors/conn_x/connect", "/api/apps/app-x/app-user-auth/connectors/x",
					"/api/apps/app-x/app-user-auth/connectors/x/initiate")) {
				check("preflight " + path + " from " + abbreviate(origin), client().send(client().request(path, null)
					.header("Origin", origin)
					.header("Access-Control-Request-Method", "POST")
					.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
					.build()));
			}
		}
		for (String segment : HostileCorpus.segments(new Random(HostileCorpus.SEED))) {
			String path = "/app-user-connectors/" + segment + "/connect";
			try {
				URI.create(client().baseUrl() + path);
			}
			catch (IllegalArgumentException ex) {
				continue;
			}
			check("preflight " + abbreviate(path), client().send(client().request(path, null)
				.header("Origin", "https://evil.example")
				.header("Access-Control-Request-Method", "POST")
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.build()));
		}
	}

	@Test
	void hostilePathsAreRefused() {
		for (String segment : HostileCorpus.segments(new Random(HostileCorpus.SEED))) {
			for (String path : List.of("/connectors/" + segment, "/connectors/" + segment + "/connection",
					"/authorizations/" + segment, "/connectors/mockidp/" + segment, "/" + segment)) {
				checkPath("GET " + path, "GET", path, this.owner);
				checkPath("DELETE " + path, "DELETE", path, this.owner);
			}
			checkPath("POST authorize " + segment, "POST", "/connectors/" + segment + "/authorize", this.owner);
			checkPath("PUT " + segment, "PUT", "/connectors/" + segment, this.owner);
		}
	}

	@Test
	void hostileQueriesAreRefused() {
		for (String query : HostileCorpus.queries(new Random(HostileCorpus.SEED))) {
			check("audit-events?" + query, send("GET", "/audit-events?" + query, this.owner));
			check("callback?" + query, client().getUrl(client().baseUrl() + "/oauth/callback?" + query,
					"application/json"));
			check("callback with state?" + query, client().getUrl(
					client().baseUrl() + "/oauth/callback?state=" + query.replace('&', 'x') + "&code=c&" + query,
					"application/json"));
			BrokerClient.Response page = client().getUrl(
					client().baseUrl() + "/oauth/callback?state=" + query.replace('&', 'x') + "&code=c", "text/html");
			// A browser gets the "link no longer works" page, or a problem when the query cannot even be decoded.
			if (page.status() != 400 || !(String.valueOf(page.contentType()).startsWith("text/html")
					|| String.valueOf(page.contentType()).startsWith("application/problem+json"))) {
				this.failures.add("callback page for " + query + " -> " + abbreviate(page.toString()));
			}
		}
	}

	@Test
	void hostileHeadersAreRefused() {
		List<String> authorizations = List.of("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "A".repeat(8000),
				"Bearer a.b.c", "Bearer ..", "bearer\t" + this.owner.substring(1), "Bearer " + this.owner + "x",
				"Bearer " + this.owner + " " + this.owner, "Token " + this.owner, "Bearer é", "Bearer \u0000");
		for (String authorization : authorizations) {
			check("Authorization " + authorization.substring(0, Math.min(30, authorization.length())),
					raw("GET /connectors/mockidp/connection HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
							+ authorization + "\r\nConnection: close\r\n\r\n"));
		}
		String valid = "Authorization: Bearer " + this.owner + "\r\n";
		for (String header : List.of("Content-Type: text/plain\r\n", "Content-Type: application/x-www-form-urlencoded\r\n",
				"Content-Type: application/json\rX-Injected: 1\r\n", "X-Bad\u0000Name: 1\r\n",
				"X-Padding: " + "p".repeat(20_000) + "\r\n", "Content-Length: -1\r\n",
				"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked, identity\r\n",
				"Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n",
				"X-Request-Id: \u00ff\u00fe\r\nContent-Type: application/json; charset=utf-7\r\n",
				"Content-Type: application/json\r\nAccept: json\r\n",
				"Content-Type: application/json\r\nAccept: application/json;q=high\r\n",
				"Content-Type: application/json\r\nAccept: ///;;;\r\n")) {
			check("header " + header.substring(0, Math.min(40, header.length())).replace("\r", "\\r"),
					raw("PUT /connectors/mockidp HTTP/1.1\r\nHost: localhost\r\n" + valid + header
							+ "Connection: close\r\n\r\n{}"));
		}
		check("no Host", raw("PUT /connectors/mockidp HTTP/1.1\r\n" + valid + "Connection: close\r\n\r\n"));
		check("request line garbage", raw("PUT /connectors/moc kidp HTTP/1.1\r\nHost: x\r\n\r\n"));
		check("invalid UTF-8 path", rawBytes(concat("PUT /connectors/".getBytes(StandardCharsets.US_ASCII),
				new byte[] { (byte) 0xC0, (byte) 0xAF }, (" HTTP/1.1\r\nHost: x\r\n" + valid
						+ "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
					.getBytes(StandardCharsets.ISO_8859_1))));
	}

	@Test
	void generatedRequestsOfEveryMethodRouteAndContentTypeAreRefused() {
		String scopeless = ServiceTokens.forApp("app-hostile-scopeless", "");
		HostileRequests generator = new HostileRequests(HostileCorpus.SEED, scopeless);
		java.util.Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
		for (int i = 0; i < SAMPLE; i++) {
			HostileRequests.Generated request = generator.next();
			String answer = rawBytes(request.bytes());
			int status = HostileRequests.status(answer);
			byStatus.merge(status, 1, Integer::sum);
			String failure = HostileRequests.violation(request, answer);
			if (failure != null) {
				this.failures.add("#" + i + " " + request.description() + " -> " + failure);
			}
		}
		System.out.println("Generated hostile requests by status: " + byStatus);
	}

	private void checkPath(String what, String method, String path, String token) {
		URI uri;
		try {
			uri = URI.create(client().baseUrl() + path);
		}
		catch (IllegalArgumentException ex) {
			// The JDK's client refuses to send this path; send it raw.
			check(what, raw(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
			return;
		}
		check(what, send(method, path, token));
	}

	private BrokerClient.Response send(String method, String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(client().baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json");
		HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"returnUrl\":\"https://evil.example/\"}");
		return client().send(builder.method(method, ("GET".equals(method) || "DELETE".equals(method))
				? HttpRequest.BodyPublishers.noBody() : body).build());
	}

	private void check(String what, BrokerClient.Response response) {
		String contentType = String.valueOf(response.contentType());
		boolean problem = contentType.startsWith("application/problem+json") && response.body().contains("\"code\"");
		if (response.status() < 400 || response.status() >= 500 || !problem) {
			this.failures.add(what + " -> " + abbreviate(response.toString()));
		}
	}

	/** Raw exchanges: a 4xx problem, or a connection closed without an answer; never a 5xx or a 2xx. */
	private void check(String what, String rawAnswer) {
		if (rawAnswer.isEmpty()) {
			return;
		}
		int status = Integer.parseInt(rawAnswer.substring(9, 12));
		if (status < 400 || status >= 500 || !rawAnswer.toLowerCase().contains("content-type: application/problem+json")) {
			this.failures.add(what + " -> " + abbreviate(rawAnswer));
		}
	}

	private String raw(String request) {
		return RawHttp.exchange(this.port, request);
	}

	private String rawBytes(byte[] request) {
		return RawHttp.exchange(this.port, request);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

}
