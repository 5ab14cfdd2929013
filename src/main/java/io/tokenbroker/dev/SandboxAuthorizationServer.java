package io.tokenbroker.dev;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tokenbroker.connector.Ids;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The dev-mode sandbox provider's memory: codes, access tokens and rotating refresh tokens, like a strict real
 * provider (single-use codes, PKCE S256, a refresh token works once). Lost on restart, which is fine for a sandbox.
 */
@Component
@Profile(BrokerModeEnvironmentPostProcessor.DEV)
class SandboxAuthorizationServer {

	static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();

	private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

	private final Clock clock;

	SandboxAuthorizationServer(Clock clock) {
		this.clock = clock;
	}

	/** @param grantId the authorization this came from: revoking a refresh token ends all of its tokens */
	record Grant(String grantId, String account, String scope, String redirectUri, String codeChallenge,
			Instant expiresAt) {
	}

	record Tokens(String accessToken, String refreshToken, long expiresIn, String scope, String account) {
	}

	String issueCode(String account, String scope, String redirectUri, String codeChallenge) {
		String code = Ids.randomToken(24);
		this.codes.put(code, new Grant(Ids.randomToken(12), account, scope, redirectUri, codeChallenge,
				Instant.now(this.clock).plus(Duration.ofMinutes(2))));
		return code;
	}

	/** Redeems a code once; null when unknown, used, expired, or the redirect URI or PKCE verifier do not match. */
	Tokens redeem(String code, String redirectUri, String verifier) {
		Grant grant = (code != null) ? this.codes.remove(code) : null;
		if (grant == null || grant.expiresAt().isBefore(Instant.now(this.clock))
				|| !grant.redirectUri().equals(redirectUri)) {
			return null;
		}
		if (grant.codeChallenge() != null && (verifier == null || !grant.codeChallenge().equals(s256(verifier)))) {
			return null;
		}
		return issue(grant.grantId(), grant.account(), grant.scope());
	}

	/** Rotates: the refresh token used here stops working at once. */
	Tokens refresh(String refreshToken) {
		Grant grant = (refreshToken != null) ? this.refreshTokens.remove(refreshToken) : null;
		return (grant != null) ? issue(grant.grantId(), grant.account(), grant.scope()) : null;
	}

	String accountOf(String accessToken) {
		Grant grant = this.accessTokens.get(accessToken);
		return (grant != null && grant.expiresAt().isAfter(Instant.now(this.clock))) ? grant.account() : null;
	}

	/** Revoking a refresh token ends the whole grant, as RFC 7009 recommends; an access token ends alone. */
	void revoke(String token) {
		Grant refresh = (token != null) ? this.refreshTokens.remove(token) : null;
		if (refresh != null) {
			this.accessTokens.values().removeIf((grant) -> grant.grantId().equals(refresh.grantId()));
			this.refreshTokens.values().removeIf((grant) -> grant.grantId().equals(refresh.grantId()));
		}
		else if (token != null) {
			this.accessTokens.remove(token);
		}
	}

	private Tokens issue(String grantId, String account, String scope) {
		Instant now = Instant.now(this.clock);
		String access = "sandbox-at-" + Ids.randomToken(24);
		String refresh = "sandbox-rt-" + Ids.randomToken(24);
		this.accessTokens.put(access, new Grant(grantId, account, scope, null, null, now.plus(ACCESS_TOKEN_LIFETIME)));
		this.refreshTokens.put(refresh, new Grant(grantId, account, scope, null, null, now.plus(Duration.ofDays(30))));
		return new Tokens(access, refresh, ACCESS_TOKEN_LIFETIME.toSeconds(), scope, account);
	}

	private static String s256(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
