package io.tokenbroker.security;

import java.time.Duration;

/** What service-token and end-user-token settings have in common: how a JWT of that kind is verified. */
interface TokenVerificationSettings {

	String hmacSecret();

	String jwkSetUri();

	String issuer();

	String audience();

	/** The longest lifetime ({@code exp} minus {@code iat}, or minus now without {@code iat}) a token may have. */
	Duration maxLifetime();

	default boolean configured() {
		return JwtDecoders.hasText(hmacSecret()) || JwtDecoders.hasText(jwkSetUri());
	}

	default boolean usesJwkSet() {
		return JwtDecoders.hasText(jwkSetUri());
	}

}
