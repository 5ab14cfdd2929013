package io.tokenbroker.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OAuth 2.0 / OpenID Connect authorization server in the test JVM (mock-oauth2-server), and the broker
 * settings that register it as custom provider types, exactly as an operator would through configuration.
 */
public final class MockIdp {

	public static final String TYPE = "mockidp";

	/** A type whose connection config has a required field, to test validation. */
	public static final String TYPE_WITH_REQUIRED_CONFIG = "mockidp-tenant";

	/** The mock server with its issuer configured, so authorization responses carrying {@code iss} are checked. */
	public static final String TYPE_WITH_ISSUER = "mockidp-issuer";

	/** Authorization at the mock server, but a token endpoint where nothing listens: a provider that is down. */
	public static final String TYPE_TOKEN_ENDPOINT_DOWN = "mockidp-down";

	public static final String CLIENT_SECRET = "mock-idp-client-secret-value-7f3a";

	private static MockOAuth2Server server;

	private MockIdp() {
	}

	public static synchronized MockOAuth2Server server() {
		if (server == null) {
			server = new MockOAuth2Server();
			server.start();
		}
		return server;
	}

	/** Forgets the requests the server has received so far. */
	public static void drainRequests() {
		while (takeRequest(50) != null) {
			// discarded
		}
	}

	/** The revocation requests received since the last drain (the others are discarded). */
	public static java.util.List<okhttp3.mockwebserver.RecordedRequest> revocationRequests() {
		java.util.List<okhttp3.mockwebserver.RecordedRequest> revocations = new java.util.ArrayList<>();
		for (var r = takeRequest(500); r != null; r = takeRequest(200)) {
			if (r.getPath() != null && r.getPath().contains("/revoke")) {
				revocations.add(r);
			}
		}
		return revocations;
	}

	private static okhttp3.mockwebserver.RecordedRequest takeRequest(long millis) {
		try {
			return server().takeRequest(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	public static String issuer() {
		return "default";
	}

	/**
	 * The body of the first token request the mock server received whose form body satisfies {@code matches}
	 * (requests are recorded in order; earlier ones are skipped), or null if none arrives within a few seconds.
	 */
	public static String takeTokenRequest(Predicate<String> matches) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			RecordedRequest request = server().takeRequest(200, TimeUnit.MILLISECONDS);
			if (request != null && "POST".equals(request.getMethod()) && request.getPath() != null
					&& request.getPath().endsWith("/token")) {
				String body = request.getBody().clone().readUtf8();
				if (matches.test(body)) {
					return body;
				}
			}
		}
		return null;
	}

	/**
	 * Whether the mock server would still redeem {@code code}: it is redeemed here with a wrong PKCE verifier, so the
	 * answer names PKCE for a code nobody redeemed and "already-used" for one the broker redeemed.
	 */
	public static boolean codeWasNeverRedeemed(String code) {
		String form = "grant_type=authorization_code&client_id=broker-client&client_secret=" + CLIENT_SECRET
				+ "&redirect_uri=" + URLEncoder.encode("http://localhost/cb", StandardCharsets.UTF_8)
				+ "&code_verifier=" + "x".repeat(43) + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8);
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(server().tokenEndpointUrl(issuer()).uri())
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.body().contains("already-used")) {
				return false;
			}
			if (response.body().contains("pkce")) {
				return true;
			}
			throw new IllegalStateException("Unexpected answer of the mock token endpoint: " + response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Broker properties that define the mock server as provider types. */
	public static Map<String, String> providerProperties() {
		MockOAuth2Server s = server();
		Map<String, String> p = new LinkedHashMap<>();
		String prefix = "broker.providers." + TYPE + ".";
		p.put(prefix + "display-name", "Mock IdP");
		p.put(prefix + "description", "An in-process OAuth server");
		p.put(prefix + "authorization-url", s.authorizationEndpointUrl(issuer()).toString());
		p.put(prefix + "token-url", s.tokenEndpointUrl(issuer()).toString());
		p.put(prefix + "revocation-url", s.revocationEndpointUrl(issuer()).toString());
		p.put(prefix + "scopes", "openid,email,calendar.read");
		p.put(prefix + "client-id", "broker-client");
		p.put(prefix + "client-secret", CLIENT_SECRET);
		p.put(prefix + "connection-config-fields[0].name", "subdomain");
		p.put(prefix + "connection-config-fields[0].display-name", "Subdomain");
		p.put(prefix + "connection-config-fields[0].description", "Your workspace subdomain");
		p.put(prefix + "connection-config-fields[0].placeholder", "acme");
		p.put(prefix + "connection-config-fields[0].validation-pattern", "^[a-z0-9-]+$");
		p.put(prefix + "connection-config-fields[0].validation-error", "Use lowercase letters, digits and dashes.");
		String tenant = "broker.providers." + TYPE_WITH_REQUIRED_CONFIG + ".";
		p.put(tenant + "display-name", "Mock IdP (tenant)");
		p.put(tenant + "authorization-url", s.url("/{tenant}/authorize").toString());
		p.put(tenant + "token-url", s.url("/{tenant}/token").toString());
		p.put(tenant + "client-id", "broker-client");
		p.put(tenant + "client-secret", CLIENT_SECRET);
		p.put(tenant + "connection-config-fields[0].name", "tenant");
		p.put(tenant + "connection-config-fields[0].required", "true");
		p.put(tenant + "connection-config-fields[0].validation-pattern", "^[a-z]+$");
		String issuer = "broker.providers." + TYPE_WITH_ISSUER + ".";
		p.put(issuer + "authorization-url", s.authorizationEndpointUrl(issuer()).toString());
		p.put(issuer + "token-url", s.tokenEndpointUrl(issuer()).toString());
		p.put(issuer + "scopes", "openid");
		p.put(issuer + "client-id", "broker-client");
		p.put(issuer + "client-secret", CLIENT_SECRET);
		p.put(issuer + "issuer", s.issuerUrl(issuer()).toString());
		String down = "broker.providers." + TYPE_TOKEN_ENDPOINT_DOWN + ".";
		p.put(down + "authorization-url", s.authorizationEndpointUrl(issuer()).toString());
		p.put(down + "token-url", "http://127.0.0.1:1/token");
		p.put(down + "scopes", "openid");
		p.put(down + "client-id", "broker-client");
		p.put(down + "client-secret", CLIENT_SECRET);
		return p;
	}

}
