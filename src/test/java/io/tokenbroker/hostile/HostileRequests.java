package io.tokenbroker.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates raw HTTP/1.1 requests an outsider would send: every method (including ones no route supports) on every
 * route family, with every content type the servlet stack parses on its own (JSON, forms, multipart) in malformed
 * encodings, odd query strings and headers, with and without (useless) credentials. Nothing generated can succeed at
 * changing data: credentials are absent, broken, or valid but without any scope. Uses the JDK only, so that the drill
 * can run it from {@code target/test-classes} against any broker.
 */
public final class HostileRequests {

	static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
			"PROPFIND", "CONNECT", "FOO", "get");

	static final List<String> ROUTES = List.of("/connectors", "/connectors/{type}", "/connectors/{type}/connection",
			"/connectors/{type}/authorize", "/connectors/{type}/proxy", "/connectors/{type}/call",
			"/connectors/{type}/restore", "/connectors/types.d.ts", "/authorizations/{id}", "/integrations",
			"/audit-events", "/api-keys", "/api-keys/{id}", "/admin/re-encrypt", "/app", "/allowed-origins",
			"/webhooks/endpoints", "/webhooks/endpoints/{id}", "/webhooks/endpoints/{id}/deliveries",
			"/webhooks/endpoints/{id}/rotate-secret", "/webhooks/endpoints/{id}/test", "/app-user-connectors",
			"/app-user-connectors/{id}/connect", "/app-user-connectors/{id}/connection",
			"/app-user-connectors/{id}/proxy", "/app-user-connectors/{id}/users", "/oauth/callback",
			"/oauth/device/code", "/oauth/token", "/api/apps/{app}/external-auth/tokens/{type}",
			"/api/apps/{app}/external-auth/tokens/connectors/{id}", "/api/apps/{app}/external-auth/integrations/{type}",
			"/api/apps/{app}/external-auth/list", "/api/apps/{app}/external-auth/status",
			"/api/apps/{app}/connectors/{type}/call", "/api/apps/{app}/available-integrations",
			"/api/apps/{app}/app-user-auth/connectors/{id}/initiate",
			"/api/apps/{app}/app-user-auth/connectors/{id}/token", "/api/apps/{app}/payments/stripe/install",
			"/console", "/console/login", "/console/login/api-key", "/console/connect", "/console/disconnect",
			"/console/restore", "/console/logout", "/dev/sandbox/token", "/v3/api-docs", "/swagger-ui.html", "/error",
			"/", "/favicon.ico");

	static final List<String> SEGMENTS = List.of("mockidp", "mockidp-tenant", "con_0000000000000000", "auth_x", "%2e",
			"%zz", "%C0%AF", "%ff%fe", "a%00b", "x;y=z", "%E2%80%AE", "..%2f", "~", "a".repeat(300), "%25", "%");

	static final List<String> QUERIES = List.of("", "?", "?a=%zz", "?a=%", "?%C0%AF=1", "?a=%C0%AF", "?limit=-1",
			"?limit=1e9&after=%ff", "?state=&code=", "?state=%00&code=%0d%0a", "?=&&=&", "?a=" + "b".repeat(9000),
			"?purge=maybe", "?app=%27", "?from=never&to=%ZZ");

	private final Random random;

	private final String scopelessToken;

	/** @param scopelessToken a valid service token without scopes (may be null): authenticated, allowed nothing */
	public HostileRequests(long seed, String scopelessToken) {
		this.random = new Random(seed);
		this.scopelessToken = scopelessToken;
	}

	/** One generated request, described for failure messages. */
	public record Generated(String description, String path, byte[] bytes) {
	}

	public Generated next() {
		String method = pick(METHODS);
		String path = pick(ROUTES).replace("{type}", pick(SEGMENTS))
			.replace("{id}", pick(SEGMENTS))
			.replace("{app}", pick(SEGMENTS)) + pick(QUERIES);
		String credentials = credentials();
		Body body = body();
		StringBuilder head = new StringBuilder();
		head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n").append(credentials);
		if (body.contentType() != null) {
			head.append("Content-Type: ").append(body.contentType()).append("\r\n");
		}
		head.append(extraHeader());
		head.append("Content-Length: ").append(body.bytes().length).append("\r\nConnection: close\r\n\r\n");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		out.writeBytes(body.bytes());
		String description = method + " " + abbreviate(path) + " [" + credentials.replace("\r\n", " ").strip() + "] "
				+ body.contentType() + " " + body.bytes().length + " bytes";
		return new Generated(description, path, out.toByteArray());
	}

	/**
	 * What is wrong with the answer to a generated request, or null: never a 5xx; an API's 4xx is a problem
	 * (browser pages under /console and /oauth/callback may answer HTML, the CLI's OAuth endpoints answer OAuth
	 * errors); only GET, HEAD and OPTIONS may succeed.
	 */
	public static String violation(Generated request, String rawAnswer) {
		rawAnswer = finalAnswer(rawAnswer);
		if (rawAnswer.isEmpty()) {
			return null; // closed without an answer: acceptable for broken protocol bytes
		}
		if (!rawAnswer.startsWith("HTTP/1.1 ")) {
			return "not an HTTP answer";
		}
		int status = Integer.parseInt(rawAnswer.substring(9, 12));
		String head = rawAnswer.substring(0, Math.max(0, rawAnswer.indexOf("\r\n\r\n"))).toLowerCase();
		String method = request.description().substring(0, request.description().indexOf(' '));
		boolean browserPage = request.path().startsWith("/console") || request.path().startsWith("/oauth/callback");
		// The CLI's OAuth endpoints answer errors in OAuth's own format (RFC 6749, RFC 8628), not as problems.
		boolean oauthEndpoint = request.path().startsWith("/oauth/token") || request.path().startsWith("/oauth/device");
		if (status >= 500) {
			return "status " + status + ": " + abbreviate(rawAnswer.replace("\r\n", " "));
		}
		if (status >= 400 && !browserPage && !oauthEndpoint && !head.contains("content-type: application/problem+json")
				&& !"HEAD".equals(method)) {
			return "status " + status + " without a problem: " + abbreviate(rawAnswer.replace("\r\n", " "));
		}
		if (status < 400 && !List.of("GET", "HEAD", "OPTIONS").contains(method)) {
			return "status " + status + " for " + method;
		}
		return null;
	}

	/** The answer without interim 1xx responses (100 Continue to an Expect header). */
	public static String finalAnswer(String rawAnswer) {
		String answer = rawAnswer;
		while (answer.startsWith("HTTP/1.1 1") && answer.indexOf("\r\n\r\n") > 0) {
			answer = answer.substring(answer.indexOf("\r\n\r\n") + 4);
		}
		return answer;
	}

	/** The final status of a raw answer, 0 when the connection closed without one. */
	public static int status(String rawAnswer) {
		String answer = finalAnswer(rawAnswer);
		return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : 0;
	}

	private String credentials() {
		return switch (this.random.nextInt(7)) {
			case 0 -> "";
			case 1 -> "Authorization: Bearer not-a-jwt\r\n";
			case 2 -> "Authorization: Bearer eyJhbGciOiJub25lIn0.eyJhcHBfaWQiOiJ4In0.\r\n";
			case 3 -> "api_key: b44k_" + "0".repeat(32) + "\r\n";
			case 4 -> "Cookie: BROKER_CONSOLE=" + Long.toHexString(this.random.nextLong()) + "\r\n";
			case 5 -> "Authorization: Basic Og==\r\nOn-Behalf-Of: Bearer x.y.z\r\n";
			default -> (this.scopelessToken != null) ? "Authorization: Bearer " + this.scopelessToken + "\r\n" : "";
		};
	}

	private String extraHeader() {
		return switch (this.random.nextInt(12)) {
			case 0 -> "X-Padding: " + "p".repeat(12_000) + "\r\n";
			case 1 -> "Accept: text/html\r\n";
			case 2 -> "Accept: application/xml\r\n";
			case 3 -> "Origin: https://evil.example\r\nAccess-Control-Request-Method: DELETE\r\n";
			case 4 -> "Accept-Charset: utf-7\r\nAccept-Language: \u00ff\r\n";
			case 5 -> "X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Host: evil.example\r\n";
			case 6 -> "Content-Encoding: gzip\r\n";
			case 7 -> "Expect: 100-continue\r\n";
			default -> "";
		};
	}

	private record Body(String contentType, byte[] bytes) {
	}

	private Body body() {
		String boundary = "b" + Long.toHexString(this.random.nextLong());
		return switch (this.random.nextInt(22)) {
			case 0 -> new Body(null, new byte[0]);
			case 1 -> new Body("application/json", bytes("{\"scopes\":[\"a\""));
			case 2 -> new Body("application/json", new byte[] { '{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}' });
			case 3 -> new Body("application/json; charset=utf-7", bytes("+AHsAfQ-"));
			case 4 -> new Body("application/x-www-form-urlencoded", bytes("a=%zz&b=%&%C0%AF=%ff&=&&"));
			case 5 -> new Body("application/x-www-form-urlencoded", bytes("_csrf=%E0%A4%A&api_key=%00&app=%FF"));
			case 6 -> new Body("application/x-www-form-urlencoded; charset=nonexistent", bytes("a=b"));
			case 7 -> new Body("application/x-www-form-urlencoded", bytes("k" + "=v&k".repeat(3000)));
			case 8 -> new Body("multipart/form-data", bytes("--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--"));
			case 9 -> new Body("multipart/form-data; boundary=" + boundary, bytes("--" + boundary + "\r\nbroken"));
			case 10 -> new Body("multipart/form-data; boundary=" + boundary,
					bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
							+ "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n"));
			case 11 -> new Body("multipart/form-data; boundary=" + "z".repeat(200), bytes("--" + "z".repeat(200)));
			case 12 -> new Body("multipart/form-data; boundary=" + boundary,
					bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%zz\r\n--"
							+ boundary + "\r\nContent-Disposition: form-data; name=\"\u00ff\"\r\n\r\n"));
			case 13 -> new Body("multipart/mixed; boundary=" + boundary, bytes("--" + boundary + "--"));
			case 14 -> new Body("text/plain", bytes("scopes=openid"));
			case 15 -> new Body("application/xml", bytes("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
			case 16 -> new Body("application/octet-stream", randomBytes(256));
			case 17 -> new Body(";;;", bytes("{}"));
			case 18 -> new Body("application/json; charset=\"", bytes("{}"));
			case 19 -> new Body("*/*", bytes("{}"));
			case 20 -> new Body("application/x-www-form-urlencoded", randomBytes(300));
			default -> new Body("multipart/form-data; boundary=" + boundary, randomBytes(400));
		};
	}

	private byte[] randomBytes(int max) {
		byte[] bytes = new byte[this.random.nextInt(max)];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private <T> T pick(List<T> items) {
		return items.get(this.random.nextInt(items.size()));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String abbreviate(String text) {
		return (text.length() > 120) ? text.substring(0, 120) + "…" : text;
	}

}
