package io.tokenbroker.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connectable integration type with its provider's OAuth behaviour, after operator overrides. Quirks that data
 * cannot express are named by {@link #quirk()} and implemented once in the oauth module.
 */
public record Provider(String type, String displayName, String description, AuthMode authMode,
		String authorizationUrl, String tokenUrl, String revocationUrl, List<String> scopes, String scopeSeparator,
		Map<String, String> authorizationParams, boolean pkce, TokenRequestStyle tokenRequest,
		TokenResponseMapping tokenResponse, Map<String, String> connectionConfigFromResponse,
		List<ConfigField> connectionConfigFields, List<String> apiBaseUrls, String quirk,
		ClientCredentials credentials) {

	/** Whether an operator supplied client credentials (API-key types need none). */
	public boolean configured() {
		return this.authMode == AuthMode.API_KEY || this.credentials != null;
	}

	public Optional<ConfigField> configField(String name) {
		return this.connectionConfigFields.stream().filter((f) -> f.name().equals(name)).findFirst();
	}

	public String joinScopes(List<String> scopes) {
		return String.join(this.scopeSeparator, scopes);
	}

	/** How the token request is built. */
	public record TokenRequestStyle(BodyFormat body, ClientAuth clientAuth, String clientIdParam,
			String clientSecretParam) {
	}

	/** Where values sit in a token response: dotted paths such as {@code authed_user.access_token}. */
	public record TokenResponseMapping(String accessToken, String refreshToken, String expiresIn, String scope,
			String accountId, String accountEmail, String error) {
	}

	/** The operator's OAuth client. {@code toString()} never shows the secret. */
	public record ClientCredentials(String clientId, String clientSecret) {

		@Override
		public String toString() {
			return "ClientCredentials[clientId=" + this.clientId + ", clientSecret=****]";
		}

	}

	@Override
	public String toString() {
		return "Provider[" + this.type + "]";
	}

}
