package io.tokenbroker.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How service-role JWTs are verified: an HMAC secret (HS256, at least 32 bytes) for small deployments, or the JWK set
 * of an external identity provider. Every token must carry {@code exp}, and live no longer than {@code maxLifetime}.
 * Issuer and audience are checked when set; production mode requires the audience (and the issuer with a JWK set).
 */
@ConfigurationProperties("broker.security.service-token")
public record ServiceTokenProperties(String hmacSecret, String jwkSetUri, String issuer, String audience,
		@DefaultValue("24h") Duration maxLifetime) implements TokenVerificationSettings {
}
