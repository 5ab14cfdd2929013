package io.tokenbroker.support;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The strict server's view of each grant as a chain of token pairs, for what Spring Authorization Server does not do
 * on its own: a refresh token presented again after it was used revokes the whole grant (OAuth 2.0 Security BCP,
 * refresh token rotation), and every access token knows when it stopped being valid, superseded by a refresh or
 * revoked with its grant, so that a drill can tell whether a token it was handed had already been revoked.
 */
final class GrantFamilies {

	/** A used refresh token to the refresh token issued in its place. */
	private final Map<String, String> successors = new ConcurrentHashMap<>();

	/** A refresh token to the access token issued with it. */
	private final Map<String, String> accessTokens = new ConcurrentHashMap<>();

	private final Map<String, Instant> revokedAccessTokens = new ConcurrentHashMap<>();

	private final AtomicInteger revokedFamilies = new AtomicInteger();

	private final OAuth2AuthorizationService authorizations;

	GrantFamilies(OAuth2AuthorizationService authorizations) {
		this.authorizations = authorizations;
	}

	/** A pair issued, by a code exchange ({@code used} null) or in exchange for the refresh token {@code used}. */
	void issued(String used, String accessToken, String refreshToken) {
		if (refreshToken != null) {
			this.accessTokens.put(refreshToken, accessToken);
		}
		if (used != null) {
			if (refreshToken != null) {
				this.successors.put(used, refreshToken);
			}
			String superseded = this.accessTokens.get(used);
			if (superseded != null) {
				this.revokedAccessTokens.putIfAbsent(superseded, Instant.now());
			}
		}
	}

	/** {@code used} was presented again: the grant it belongs to is revoked, whatever its newest tokens are. */
	void reused(String used) {
		String newest = used;
		for (String next = this.successors.get(newest); next != null; next = this.successors.get(newest)) {
			newest = next;
		}
		OAuth2Authorization authorization = this.authorizations.findByToken(newest, OAuth2TokenType.REFRESH_TOKEN);
		if (authorization != null) {
			this.authorizations.remove(authorization);
			this.revokedFamilies.incrementAndGet();
		}
		revoked(this.accessTokens.get(newest));
	}

	/** The access token is no longer valid from now on (its grant was revoked). */
	void revoked(String accessToken) {
		if (accessToken != null) {
			this.revokedAccessTokens.putIfAbsent(accessToken, Instant.now());
		}
	}

	/** When the access token stopped being valid (superseded or revoked), or null while it is valid. */
	Instant revokedAt(String accessToken) {
		return this.revokedAccessTokens.get(accessToken);
	}

	int revokedFamilies() {
		return this.revokedFamilies.get();
	}

}
