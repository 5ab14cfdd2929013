package io.tokenbroker.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a provider's token endpoint granted. {@code refreshToken} is null when the response had none (keep the old one
 * on refresh); {@code expiresAt} null means the token does not expire; {@code grantedScopes} null means the provider did
 * not say (assume the requested ones).
 */
public record TokenResult(String accessToken, String refreshToken, Instant expiresAt, List<String> grantedScopes,
		String accountId, String accountEmail, Map<String, String> metadata) {

	@Override
	public String toString() {
		return "TokenResult[accessToken=****, refreshToken=" + ((this.refreshToken != null) ? "****" : "none")
				+ ", expiresAt=" + this.expiresAt + "]";
	}

}
