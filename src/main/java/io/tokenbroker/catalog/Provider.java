package io.tokenbroker.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A connectable integration type with its provider's OAuth behaviour, after operator overrides. Quirks that data
 * cannot express are named by {@link #quirk()} and implemented once in the oauth module.
 *
 * @param authorizationParamNames the provider's names for standard authorization request parameters, where they
 * differ ({@code scope} is {@code user_scope} for a Slack user token)
 * @param apiKey how an API-key type's key looks and the operator's default key; null for OAuth types
 * @param api how the proxy calls the provider's API at {@link #apiBaseUrls()}
 * @param issuer the provider's issuer identifier; when set, an {@code iss} on the authorization response must equal it
 * (RFC 9207, against mix-up attacks)
 * @param scopeRequired whether the provider refuses an authorization request without a scope (Google), so that a
 * connector saved with none asks for {@link #scopes()}, the catalog's defaults
 * @param revocationEndsEveryGrant whether revoking any token removes the app's access to the account altogether, grants
 * issued later included (Google, TikTok), rather than only the grant the token belongs to
 */
public record Provider(String type, String displayName, String description, AuthMode authMode,
		String authorizationUrl, String tokenUrl, String revocationUrl, List<String> scopes, String scopeSeparator,
		Map<String, String> authorizationParams, Map<String, String> authorizationParamNames, boolean pkce,
		TokenRequestStyle tokenRequest, TokenResponseMapping tokenResponse,
		Map<String, String> connectionConfigFromResponse, List<ConfigField> connectionConfigFields,
		List<String> apiBaseUrls, String quirk, ClientCredentials credentials, ApiKeyRules apiKey,
		ApiAccess api, String issuer, boolean scopeRequired, boolean revocationEndsEveryGrant) {

	/** The standard parameter names of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
	public static final List<String> AUTHORIZATION_PARAMETERS = List.of("response_type", "client_id", "redirect_uri",
			"state", "scope", "code_challenge", "code_challenge_method");

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

	/**
	 * The name this provider gives a standard authorization request parameter. The client id goes by the token
	 * request's name unless renamed for the authorization request alone (TikTok's {@code client_key} is both).
	 */
	public String authorizationParamName(String standardName) {
		String renamed = this.authorizationParamNames.get(standardName);
		if (renamed != null) {
			return renamed;
		}
		return "client_id".equals(standardName) ? this.tokenRequest.clientIdParam() : standardName;
	}

	/**
	 * How the token request is built.
	 * @param refreshSendsScope whether a refresh repeats the connector's scopes (Microsoft issues a token for the
	 * scopes named in each request)
	 */
	public record TokenRequestStyle(BodyFormat body, ClientAuth clientAuth, String clientIdParam,
			String clientSecretParam, boolean refreshSendsScope) {
	}

	/**
	 * Where values sit in a token response: dotted paths such as {@code authed_user.access_token}.
	 * @param defaultLifetime how long an access token lives when the response does not say (Salesforce never does);
	 * null means such a token does not expire
	 */
	public record TokenResponseMapping(String accessToken, String refreshToken, String expiresIn, String scope,
			String accountId, String accountEmail, String error, Duration defaultLifetime) {
	}

	/**
	 * How the proxy authenticates its calls to the provider's API, and which base URLs it may reach inside a private
	 * network.
	 * @param authHeader the header that carries the token ({@code Authorization})
	 * @param authScheme the word before the token ({@code Bearer}); empty for a bare token
	 * @param headers headers every API call carries unless the caller sets them (Notion's {@code Notion-Version})
	 * @param operatorBaseUrls the API base URLs an operator wrote in configuration without placeholders: the only ones
	 * allowed to be IP literals or to resolve to private, loopback or link-local addresses
	 */
	public record ApiAccess(String authHeader, String authScheme, Map<String, String> headers,
			Set<String> operatorBaseUrls) {

		/** The value of {@link #authHeader()} for {@code token}. */
		public String authorization(String token) {
			return this.authScheme.isEmpty() ? token : this.authScheme + " " + token;
		}

	}

	/** The operator's OAuth client. {@code toString()} never shows the secret. */
	public record ClientCredentials(String clientId, String clientSecret) {

		@Override
		public String toString() {
			return "ClientCredentials[clientId=" + this.clientId + ", clientSecret=****]";
		}

	}

	/**
	 * The API key of an API-key type.
	 * @param pattern the shape of a valid key (null: any key without whitespace)
	 * @param operatorKey the key an operator configured for every app that supplies none, or null
	 */
	public record ApiKeyRules(String pattern, String operatorKey) {

		private static final int MAX_LENGTH = 4096;

		/** Whether {@code key} has the shape of a key of this type. */
		public boolean accepts(String key) {
			if (key == null || key.isEmpty() || key.length() > MAX_LENGTH || key.chars().anyMatch((c) -> c <= ' ')) {
				return false;
			}
			return this.pattern == null || Pattern.compile(this.pattern).matcher(key).matches();
		}

		@Override
		public String toString() {
			return "ApiKeyRules[pattern=" + this.pattern + ", operatorKey="
					+ ((this.operatorKey != null) ? "****" : "none") + "]";
		}

	}

	@Override
	public String toString() {
		return "Provider[" + this.type + "]";
	}

}
