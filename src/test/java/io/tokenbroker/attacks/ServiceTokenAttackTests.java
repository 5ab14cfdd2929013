package io.tokenbroker.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Forged service-role JWTs: every variant is refused with 401, never served. */
class ServiceTokenAttackTests extends PostgresBrokerTestBase {

	private static final Map<String, Object> CLAIMS = Map.of("app_id", "app-jwt-attack", "scope",
			"connectors:read connectors:admin");

	@Test
	void unsignedTokenIsRefused() {
		String none = new PlainJWT(claims(Instant.now(), Duration.ofMinutes(5)).build()).serialize();
		assertRefused(none);
		String[] parts = ServiceTokens.forApp("app-jwt-attack").split("\\.");
		String algNone = Base64.getUrlEncoder().withoutPadding()
			.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
		assertRefused(algNone);
		assertRefused(parts[0] + "." + parts[1] + ".");
	}

	@Test
	void tokenSignedWithAPublicKeyAsHmacSecretIsRefused() throws Exception {
		// Algorithm confusion: an attacker who knows some RSA public key signs HS256 with its bytes.
		RSAKey rsa = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).generate();
		byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(Instant.now(), Duration.ofMinutes(5)).build());
		jwt.sign(new MACSigner(publicKey));
		assertRefused(jwt.serialize());
	}

	@Test
	void tokenNotYetValidIsRefused() throws Exception {
		JWTClaimsSet claims = claims(Instant.now(), Duration.ofMinutes(30)).notBeforeTime(
				Date.from(Instant.now().plus(Duration.ofMinutes(10)))).build();
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256), claims));
	}

	@Test
	void expiredTokenIsRefused() throws Exception {
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256), claims(Instant.now().minus(Duration.ofHours(1)),
				Duration.ofMinutes(5)).build()));
	}

	@Test
	void tokenWithoutExpiryIsRefused() throws Exception {
		JWTClaimsSet claims = claims(Instant.now(), Duration.ofMinutes(5)).expirationTime(null).build();
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256), claims));
	}

	@Test
	void tokenLivingLongerThanTheMaximumLifetimeIsRefused() throws Exception {
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256), claims(Instant.now(), Duration.ofDays(30)).build()));
		// The lifetime counts from iat: an old iat with a near exp is as long-lived.
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256),
				claims(Instant.now().minus(Duration.ofDays(2)), Duration.ofDays(2).plusMinutes(5)).build()));
	}

	@Test
	void tokenWithoutTheBrokersAudienceIsRefused() throws Exception {
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256),
				claims(Instant.now(), Duration.ofMinutes(5)).audience((String) null).build()));
		assertRefused(hs256(new JWSHeader(JWSAlgorithm.HS256),
				claims(Instant.now(), Duration.ofMinutes(5)).audience("another-service").build()));
	}

	@Test
	void tokenPointingAtAnAttackersKeySetIsRefused() throws Exception {
		RSAKey attackerKey = new RSAKeyGenerator(2048).keyID("attacker").generate();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker")
			.jwkURL(URI.create("https://attacker.example/jwks.json"))
			.jwk(attackerKey.toPublicJWK())
			.type(JOSEObjectType.JWT)
			.build();
		SignedJWT jwt = new SignedJWT(header, claims(Instant.now(), Duration.ofMinutes(5)).build());
		jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(attackerKey));
		assertRefused(jwt.serialize());
	}

	@Test
	void tamperedClaimsAreRefused() {
		String[] parts = ServiceTokens.forApp("app-jwt-attack", "connectors:read").split("\\.");
		String widened = Base64.getUrlEncoder().withoutPadding().encodeToString(
				("{\"sub\":\"test-service\",\"app_id\":\"app-jwt-attack\",\"scope\":\"connectors:read connectors:admin\","
						+ "\"exp\":" + Instant.now().plusSeconds(300).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
		assertRefused(parts[0] + "." + widened + "." + parts[2]);
	}

	@Test
	void validTokenSentWithTheDpopSchemeIsRefusedAsAProblem() {
		// The broker's tokens are bearer tokens; a DPoP-scheme header carries no bearer token, proof or not.
		String jwt = ServiceTokens.forApp("app-jwt-attack", "connectors:read");
		// The broker's routes, a Base44 route and an end-user route: each chain reads JWTs.
		for (String path : new String[] { "/connectors", "/connectors/mockidp/connection",
				"/api/apps/app-jwt-attack/external-auth/list",
				"/api/apps/app-jwt-attack/app-user-auth/connectors/c1/token" }) {
			BrokerClient.Response answer = client().send(client().request(path, null)
				.header("Authorization", "DPoP " + jwt)
				.header("DPoP", jwt)
				.GET()
				.build());
			assertThat(answer.status()).as(path).isEqualTo(401);
			assertThat(answer.contentType()).startsWith("application/problem+json");
			assertThat(answer.json().get("code").asString()).isEqualTo("unauthorized");
		}
	}

	@Test
	void noProtectedResourceMetadataIsPublished() {
		// RFC 9728 metadata would name no authorization server: service tokens come from the operator, not an AS.
		String path = "/.well-known/oauth-protected-resource";
		BrokerClient.Response anonymous = client().get(path, null);
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.contentType()).startsWith("application/problem+json");
		BrokerClient.Response authenticated = client().get(path, ServiceTokens.forApp("app-jwt-attack", "connectors:read"));
		assertThat(authenticated.status()).isEqualTo(404);
		assertThat(authenticated.contentType()).startsWith("application/problem+json");
	}

	private void assertRefused(String jwt) {
		for (String path : new String[] { "/connectors", "/connectors/mockidp/connection", "/audit-events" }) {
			BrokerClient.Response answer = client().get(path, jwt);
			assertThat(answer.status()).as(path + " with " + jwt).isEqualTo(401);
			assertThat(answer.json().get("code").asString()).isEqualTo("unauthorized");
		}
	}

	private static JWTClaimsSet.Builder claims(Instant issued, Duration lifetime) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("attacker")
			.issueTime(Date.from(issued))
			.expirationTime(Date.from(issued.plus(lifetime)))
			.audience(ServiceTokens.AUDIENCE);
		CLAIMS.forEach(builder::claim);
		return builder;
	}

	private static String hs256(JWSHeader header, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(header, claims);
		jwt.sign(new MACSigner(ServiceTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

}
