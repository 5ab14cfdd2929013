package io.tokenbroker.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.JwkSetServer;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Service and end-user tokens verified against an identity provider's JWK set (one provider for both kinds, told
 * apart by audience): only tokens signed with a published key, for the right audience and issuer, with a bounded
 * lifetime, get in.
 */
class JwkSetTokenAttackTests extends PostgresBrokerTestBase {

	private static final String ISSUER = "https://idp.test";

	private static final String USER_AUDIENCE = "token-broker-end-users";

	private static final String APP = "app-jwks";

	private static final JwkSetServer IDP = new JwkSetServer();

	private static final RSAKey RSA = JwkSetServer.rsaKey("rsa-1");

	private static final ECKey EC = JwkSetServer.ecKey("ec-1");

	static {
		IDP.publish(RSA);
		IDP.publish(EC);
	}

	@DynamicPropertySource
	static void jwkSet(DynamicPropertyRegistry registry) {
		registry.add("broker.security.service-token.hmac-secret", () -> "");
		registry.add("broker.security.service-token.jwk-set-uri", IDP::jwkSetUri);
		registry.add("broker.security.service-token.issuer", () -> ISSUER);
		registry.add("broker.security.service-token.max-lifetime", () -> "1h");
		registry.add("broker.security.user-token.hmac-secret", () -> "");
		registry.add("broker.security.user-token.jwk-set-uri", IDP::jwkSetUri);
		registry.add("broker.security.user-token.issuer", () -> ISSUER);
		registry.add("broker.security.user-token.audience", () -> USER_AUDIENCE);
	}

	@Test
	void serviceTokensSignedWithRs256OrEs256KeysOfTheSetAreAccepted() {
		assertAccepted(JwkSetServer.sign(RSA, service().build()));
		assertAccepted(JwkSetServer.sign(EC, service().build()));
	}

	@Test
	void aKeyAddedToTheSetIsUsedWithoutARestart() {
		RSAKey next = JwkSetServer.rsaKey("rsa-rotated");
		IDP.publish(next);
		assertAccepted(JwkSetServer.sign(next, service().build()));
	}

	@Test
	void aTokenNamingAKeyThatIsNotInTheSetIsRefused() {
		assertRefused(JwkSetServer.sign(JwkSetServer.rsaKey("unknown"), service().build()));
		// The attacker's key under the kid of a published key: the signature does not match the published key.
		assertRefused(JwkSetServer.sign(JwkSetServer.ecKey(EC.getKeyID()), service().build()));
	}

	@Test
	void keysNamedInTheTokenHeaderAreIgnored() {
		RSAKey attacker = JwkSetServer.rsaKey("attacker");
		try (JwkSetServer attackers = new JwkSetServer()) {
			attackers.publish(attacker);
			URI theirs = URI.create(attackers.jwkSetUri());
			JWSHeader jku = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwkURL(theirs).build();
			JWSHeader x5u = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").x509CertURL(theirs).build();
			JWSHeader jwk = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(attacker.toPublicJWK())
				.build();
			assertRefused(JwkSetServer.sign(attacker, jku, service().build()));
			assertRefused(JwkSetServer.sign(attacker, x5u, service().build()));
			assertRefused(JwkSetServer.sign(attacker, jwk, service().build()));
			assertThat(attackers.fetches()).isZero();
		}
	}

	@Test
	void hs256SignedWithAPublishedPublicKeyIsRefused() throws Exception {
		assertRefused(hs256(RSA.toRSAPublicKey().getEncoded(), RSA.getKeyID()));
		assertRefused(hs256(RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8), RSA.getKeyID()));
		assertRefused(hs256(EC.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8), EC.getKeyID()));
	}

	@Test
	void aTokenWithoutExpiryIsRefused() {
		assertRefused(JwkSetServer.sign(RSA, service().expirationTime(null).build()));
	}

	@Test
	void aTokenLivingLongerThanTheMaximumLifetimeIsRefused() {
		assertRefused(JwkSetServer.sign(RSA, claims(Map.of("aud", ServiceTokens.AUDIENCE), Duration.ofHours(3))));
		assertAccepted(JwkSetServer.sign(RSA, claims(Map.of("aud", ServiceTokens.AUDIENCE), Duration.ofMinutes(50))));
	}

	@Test
	void aTokenWithoutTheBrokersAudienceOrFromAnotherIssuerIsRefused() {
		assertRefused(JwkSetServer.sign(RSA, JwkSetServer.claims(serviceClaims(), Duration.ofMinutes(5))
			.issuer(ISSUER).build()));
		assertRefused(JwkSetServer.sign(RSA, service().audience("another-service").build()));
		assertRefused(JwkSetServer.sign(RSA, service().issuer("https://other-idp.test").build()));
	}

	@Test
	void anEndUserTokenOfTheSameIdentityProviderIsNoServiceToken() {
		assertRefused(JwkSetServer.sign(RSA, endUser().build()));
		// Naming both audiences does not help.
		assertRefused(JwkSetServer.sign(RSA, endUser().audience(List.of(ServiceTokens.AUDIENCE, USER_AUDIENCE))
			.build()));
	}

	@Test
	void aServiceTokenOfTheSameIdentityProviderIsNoEndUserToken() {
		String admin = JwkSetServer.sign(RSA, service().build());
		BrokerClient.Response put = client().put("/connectors/mockidp", admin, "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		String connectorId = put.json().get("connectorId").asString();
		String serviceAsUser = JwkSetServer.sign(RSA, service().subject("user-a").build());
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				serviceAsUser, null);
		assertThat(connect.status()).as(connect.toString()).isEqualTo(401);
		BrokerClient.Response asUser = client().post("/app-user-connectors/" + connectorId + "/connect",
				JwkSetServer.sign(EC, endUser().build()), null);
		assertThat(asUser.status()).as(asUser.toString()).isEqualTo(200);
	}

	private static JWTClaimsSet.Builder service() {
		return JwkSetServer.claims(serviceClaims(), Duration.ofMinutes(5))
			.issuer(ISSUER)
			.audience(ServiceTokens.AUDIENCE);
	}

	private static Map<String, Object> serviceClaims() {
		return Map.of("app_id", APP, "scope", ServiceTokens.READ + " " + ServiceTokens.ADMIN);
	}

	private static JWTClaimsSet.Builder endUser() {
		return JwkSetServer.claims(Map.of("app_id", APP), Duration.ofMinutes(5))
			.subject("user-a")
			.issuer(ISSUER)
			.audience(USER_AUDIENCE);
	}

	private static JWTClaimsSet claims(Map<String, Object> extra, Duration lifetime) {
		Map<String, Object> all = new HashMap<>(serviceClaims());
		all.putAll(extra);
		return JwkSetServer.claims(all, lifetime).issuer(ISSUER).build();
	}

	private static String hs256(byte[] secret, String kid) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(),
				service().build());
		jwt.sign(new MACSigner(secret));
		return jwt.serialize();
	}

	private void assertAccepted(String jwt) {
		BrokerClient.Response answer = client().get("/connectors", jwt);
		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
	}

	private void assertRefused(String jwt) {
		for (String path : new String[] { "/connectors", "/connectors/mockidp/connection", "/audit-events" }) {
			BrokerClient.Response answer = client().get(path, jwt);
			assertThat(answer.status()).as(path + " with " + jwt).isEqualTo(401);
			assertThat(answer.json().get("code").asString()).isEqualTo("unauthorized");
		}
	}

}
