package io.tokenbroker.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Builds a JWT decoder from an HMAC secret or a JWK set URI, with issuer and audience checks when set. */
final class JwtDecoders {

	private JwtDecoders() {
	}

	static JwtDecoder build(String prefix, String hmacSecret, String jwkSetUri, String issuer, String audience) {
		NimbusJwtDecoder decoder;
		if (hasText(jwkSetUri)) {
			decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
		}
		else if (hasText(hmacSecret)) {
			byte[] secret = hmacSecret.getBytes(StandardCharsets.UTF_8);
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
		decoder.setJwtValidator(validator(issuer, audience));
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(hasText(issuer) ? JwtValidators.createDefaultWithIssuer(issuer) : JwtValidators.createDefault());
		if (hasText(audience)) {
			validators.add(new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience)));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	static boolean hasText(String s) {
		return s != null && !s.isBlank();
	}

}
