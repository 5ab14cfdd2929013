package io.tokenbroker.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How end-user JWTs (issued by the app's own sign-in) are verified: an HMAC secret (HS256, at least 32 bytes) or a JWK
 * set URI. Issuer and audience are checked when set. Each token must carry {@code sub} (the app's user id),
 * {@code app_id} and {@code exp}, and live no longer than {@code maxLifetime}. The keys must not be those of
 * service-role tokens, or one kind of token could pass for the other; when both kinds come from one identity provider,
 * distinct audiences tell them apart.
 */
@ConfigurationProperties("broker.security.user-token")
public record UserTokenProperties(String hmacSecret, String jwkSetUri, String issuer, String audience,
		@DefaultValue("24h") Duration maxLifetime) implements TokenVerificationSettings {
}
