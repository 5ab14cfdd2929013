package io.tokenbroker.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cache of verified service tokens: a caller presenting the same JWT again is not verified again until the token
 * expires, or {@code maxTtl} has passed, whichever comes first.
 * @param size how many verified tokens are kept (least recently used go first); 0 turns the cache off
 * @param maxTtl the longest a verification is trusted without being redone; bounds how long a token signed with a key
 * that the JWK set has since dropped keeps working
 */
@ConfigurationProperties("broker.security.service-token.cache")
record ServiceTokenCacheProperties(@DefaultValue("10000") int size, @DefaultValue("5m") Duration maxTtl) {
}
