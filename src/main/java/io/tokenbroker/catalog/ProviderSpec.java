package io.tokenbroker.catalog;

import java.util.List;
import java.util.Map;

/**
 * One provider as written in the catalog file or in {@code broker.providers.<type>.*}: every field optional, so that an
 * operator override names only what it changes. {@link ProviderCatalog} merges and resolves these into {@link Provider}.
 */
record ProviderSpec(String type, String displayName, String description, AuthMode authMode, String authorizationUrl,
		String tokenUrl, String revocationUrl, List<String> scopes, String scopeSeparator,
		Map<String, String> authorizationParams, Map<String, String> authorizationParamNames, Boolean pkce,
		BodyFormat tokenRequestBody, ClientAuth clientAuth, String clientIdParam, String clientSecretParam,
		Boolean refreshSendsScope, TokenResponseSpec tokenResponse, Long defaultExpiresIn,
		Map<String, String> connectionConfigFromResponse, List<ConfigField> connectionConfigFields,
		List<String> apiBaseUrls, String quirk, String clientId, String clientSecret, String apiBaseUrl,
		String apiKey, String apiKeyPattern, Map<String, String> apiHeaders, String apiAuthHeader,
		String apiAuthScheme, String issuer, Boolean scopeRequired, Boolean revocationEndsEveryGrant) {

	static ProviderSpec empty(String type) {
		return new ProviderSpec(type, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null);
	}

	record TokenResponseSpec(String accessToken, String refreshToken, String expiresIn, String scope,
			String accountId, String accountEmail, String error) {
	}

	/** This spec with every field that {@code override} sets replaced by the override's value. */
	ProviderSpec overriddenBy(ProviderSpec o) {
		return new ProviderSpec(pick(o.type, this.type), pick(o.displayName, this.displayName),
				pick(o.description, this.description), pick(o.authMode, this.authMode),
				pick(o.authorizationUrl, this.authorizationUrl), pick(o.tokenUrl, this.tokenUrl),
				pick(o.revocationUrl, this.revocationUrl), pick(o.scopes, this.scopes),
				pick(o.scopeSeparator, this.scopeSeparator), pick(o.authorizationParams, this.authorizationParams),
				pick(o.authorizationParamNames, this.authorizationParamNames), pick(o.pkce, this.pkce),
				pick(o.tokenRequestBody, this.tokenRequestBody), pick(o.clientAuth, this.clientAuth),
				pick(o.clientIdParam, this.clientIdParam), pick(o.clientSecretParam, this.clientSecretParam),
				pick(o.refreshSendsScope, this.refreshSendsScope), mergeResponse(this.tokenResponse, o.tokenResponse),
				pick(o.defaultExpiresIn, this.defaultExpiresIn),
				pick(o.connectionConfigFromResponse, this.connectionConfigFromResponse),
				pick(o.connectionConfigFields, this.connectionConfigFields), pick(o.apiBaseUrls, this.apiBaseUrls),
				pick(o.quirk, this.quirk), pick(o.clientId, this.clientId), pick(o.clientSecret, this.clientSecret),
				pick(o.apiBaseUrl, this.apiBaseUrl), pick(o.apiKey, this.apiKey),
				pick(o.apiKeyPattern, this.apiKeyPattern), pick(o.apiHeaders, this.apiHeaders),
				pick(o.apiAuthHeader, this.apiAuthHeader), pick(o.apiAuthScheme, this.apiAuthScheme),
				pick(o.issuer, this.issuer), pick(o.scopeRequired, this.scopeRequired),
				pick(o.revocationEndsEveryGrant, this.revocationEndsEveryGrant));
	}

	private static TokenResponseSpec mergeResponse(TokenResponseSpec base, TokenResponseSpec o) {
		if (o == null) {
			return base;
		}
		if (base == null) {
			return o;
		}
		return new TokenResponseSpec(pick(o.accessToken, base.accessToken), pick(o.refreshToken, base.refreshToken),
				pick(o.expiresIn, base.expiresIn), pick(o.scope, base.scope), pick(o.accountId, base.accountId),
				pick(o.accountEmail, base.accountEmail), pick(o.error, base.error));
	}

	private static <T> T pick(T override, T base) {
		return (override != null) ? override : base;
	}

	@Override
	public String toString() {
		// The record's default would print the client secret and the API key.
		return "ProviderSpec[" + this.type + "]";
	}

}
