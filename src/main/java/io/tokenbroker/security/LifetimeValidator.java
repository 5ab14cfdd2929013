package io.tokenbroker.security;

import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Refuses tokens that live longer than the configured maximum: a leaked token must stop working within a bounded
 * time, whatever {@code exp} its issuer chose. The lifetime counts from {@code iat}, or from now when absent.
 */
final class LifetimeValidator implements OAuth2TokenValidator<Jwt> {

	/** The clock skew Spring Security allows on exp and nbf, allowed here too. */
	private static final Duration SKEW = Duration.ofSeconds(60);

	private final Duration maxLifetime;

	LifetimeValidator(Duration maxLifetime) {
		this.maxLifetime = maxLifetime;
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt jwt) {
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			return OAuth2TokenValidatorResult.success();
		}
		Instant now = Instant.now();
		Instant issuedAt = jwt.getIssuedAt();
		Instant from = (issuedAt == null || issuedAt.isAfter(now)) ? now : issuedAt;
		if (Duration.between(from, expiresAt).compareTo(this.maxLifetime.plus(SKEW)) > 0) {
			return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
					"The token lives longer than this broker accepts", null));
		}
		return OAuth2TokenValidatorResult.success();
	}

}
