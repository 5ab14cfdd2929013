package io.tokenbroker.security;

import java.time.Clock;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Verifies a service token once, then trusts the result for that exact token until it expires (at most
 * {@link ServiceTokenCacheProperties#maxTtl()}). Callers present the same token for every request until it expires,
 * and verification (signature, JSON parsing, claim conversion) is most of what authentication costs: with ES256 it
 * alone caps a replica at a few hundred requests per second.
 *
 * <p>
 * Why this is safe: the key is the whole token, compared exactly, so a hit is a token that already passed every check;
 * nothing in a token can change without changing the key. Only successes are stored, so a rejected token is verified
 * (and rejected) every time. A hit is served only before the token's {@code exp} (stricter than the decoder, which
 * allows clock skew), so expiry behaves as without the cache. Tokens without {@code exp} are never stored. What the
 * cache does change: a token signed with a key that was removed from the JWK set keeps working until
 * {@code maxTtl} after its verification, as it would with a JWK set cached that long.
 */
final class CachingJwtDecoder implements JwtDecoder {

	private final JwtDecoder delegate;

	private final Cache<String, Verified> verified;

	private final ServiceTokenCacheProperties properties;

	private final Clock clock;

	CachingJwtDecoder(JwtDecoder delegate, ServiceTokenCacheProperties properties, Clock clock) {
		this.delegate = delegate;
		this.properties = properties;
		this.clock = clock;
		this.verified = Caffeine.newBuilder()
			.maximumSize(properties.size())
			.expireAfterWrite(properties.maxTtl())
			.build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Instant now = this.clock.instant();
		Verified hit = this.verified.getIfPresent(token);
		if (hit != null && now.isBefore(hit.until())) {
			return hit.jwt();
		}
		Jwt jwt = this.delegate.decode(token);
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt != null && now.isBefore(expiresAt)) {
			Instant ttlEnd = now.plus(this.properties.maxTtl());
			this.verified.put(token, new Verified(jwt, expiresAt.isBefore(ttlEnd) ? expiresAt : ttlEnd));
		}
		return jwt;
	}

	private record Verified(Jwt jwt, Instant until) {
	}

}
