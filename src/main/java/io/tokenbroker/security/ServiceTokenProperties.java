package io.tokenbroker.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How service-role JWTs are verified: an HMAC secret (HS256, at least 32 bytes) for small deployments, or the JWK set
 * of an external identity provider. Issuer and audience are checked when set.
 */
@ConfigurationProperties("broker.security.service-token")
public record ServiceTokenProperties(String hmacSecret, String jwkSetUri, String issuer, String audience) {
}
