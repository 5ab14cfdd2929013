package io.tokenbroker.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How end-user JWTs (issued by the app's own sign-in) are verified: an HMAC secret (HS256, at least 32 bytes) or a JWK
 * set URI. Issuer and audience are checked when set. Each token must carry {@code sub} (the app's user id) and
 * {@code app_id}. The keys must not be those of service-role tokens, or one kind of token could pass for the other.
 */
@ConfigurationProperties("broker.security.user-token")
record UserTokenProperties(String hmacSecret, String jwkSetUri, String issuer, String audience) {

	boolean configured() {
		return hasText(this.hmacSecret) || hasText(this.jwkSetUri);
	}

	private static boolean hasText(String s) {
		return s != null && !s.isBlank();
	}

}
