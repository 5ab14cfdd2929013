package io.tokenbroker.support;

import java.util.LinkedHashMap;
import java.util.Map;

import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A real OAuth 2.0 / OpenID Connect authorization server in the test JVM (mock-oauth2-server), and the broker
 * settings that register it as custom provider types, exactly as an operator would through configuration.
 */
public final class MockIdp {

	public static final String TYPE = "mockidp";

	/** A type whose connection config has a required field, to test validation. */
	public static final String TYPE_WITH_REQUIRED_CONFIG = "mockidp-tenant";

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
		return p;
	}

}
