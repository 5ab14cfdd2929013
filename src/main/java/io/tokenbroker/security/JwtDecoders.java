package io.tokenbroker.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Builds a JWT decoder from an HMAC secret or a JWK set URI. Beyond signature, {@code exp} and {@code nbf} (Spring
 * Security's defaults), every token must carry {@code exp}, stay within the maximum lifetime, name the configured
 * issuer and audience, and must not name the audience of the other kind of token.
 */
final class JwtDecoders {

	/** Asymmetric algorithms only: with a JWK set, an HMAC algorithm would let a public key serve as the secret. */
	private static final List<SignatureAlgorithm> JWK_SET_ALGORITHMS = List.of(SignatureAlgorithm.RS256,
			SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384,
			SignatureAlgorithm.PS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);

	private JwtDecoders() {
	}

	/**
	 * @param refusedAudience the audience of the other kind of token (may be null): a token naming it is refused even
	 * if it names this kind's audience too
	 */
	static JwtDecoder build(String prefix, TokenVerificationSettings settings, String refusedAudience) {
		NimbusJwtDecoder decoder;
		if (hasText(settings.jwkSetUri())) {
			decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri())
				.jwsAlgorithms((algorithms) -> algorithms.addAll(JWK_SET_ALGORITHMS))
				.build();
		}
		else if (hasText(settings.hmacSecret())) {
			byte[] secret = settings.hmacSecret().getBytes(StandardCharsets.UTF_8);
			if (secret.length < 32) {
				throw new IllegalStateException(prefix + ".hmac-secret must be at least 32 bytes (HS256)");
			}
			decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
				.macAlgorithm(MacAlgorithm.HS256)
				.build();
		}
		else {
			throw new IllegalStateException(
					"No token verification configured: set " + prefix + ".hmac-secret or " + prefix + ".jwk-set-uri");
		}
		decoder.setJwtValidator(validator(settings, refusedAudience));
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(TokenVerificationSettings settings, String refusedAudience) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(hasText(settings.issuer()) ? JwtValidators.createDefaultWithIssuer(settings.issuer())
				: JwtValidators.createDefault());
		// The defaults check exp only when present: a token without one would never expire.
		validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, (exp) -> exp != null));
		validators.add(new LifetimeValidator(settings.maxLifetime()));
		String audience = settings.audience();
		if (hasText(audience)) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					(aud) -> aud != null && aud.contains(audience)));
		}
		if (hasText(refusedAudience) && !refusedAudience.equals(audience)) {
			validators.add((jwt) -> (jwt.getAudience() != null && jwt.getAudience().contains(refusedAudience))
					? OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
							"The token is meant for another kind of caller", null))
					: OAuth2TokenValidatorResult.success());
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	static boolean hasText(String s) {
		return s != null && !s.isBlank();
	}

}
