package io.tokenbroker.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints service-role JWTs signed with the tests' HMAC secret. */
public final class ServiceTokens {

	public static final String SECRET = "test-service-token-secret-0123456789-abcdefghij";

	/** The audience the tests' brokers require of service tokens ({@code broker.security.service-token.audience}). */
	public static final String AUDIENCE = "token-broker-tests";

	public static final String READ = "connectors:read";

	public static final String ADMIN = "connectors:admin";

	private ServiceTokens() {
	}

	/** A token for {@code appId} with read and admin scopes. */
	public static String forApp(String appId) {
		return forApp(appId, READ + " " + ADMIN);
	}

	public static String forApp(String appId, String scope) {
		return sign(SECRET, Map.of("app_id", appId, "scope", scope), Duration.ofMinutes(10));
	}

	/** A service token: the tests' broker audience unless {@code claims} name another {@code aud}. */
	public static String sign(String secret, Map<String, Object> claims, Duration lifetime) {
		Map<String, Object> withAudience = new java.util.HashMap<>(claims);
		withAudience.putIfAbsent("aud", AUDIENCE);
		return signExactly(secret, withAudience, lifetime);
	}

	/** A JWT with exactly {@code claims} besides {@code sub}, {@code iat} and {@code exp}. */
	public static String signExactly(String secret, Map<String, Object> claims, Duration lifetime) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("test-service")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(lifetime)));
		claims.forEach(builder::claim);
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
		try {
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
