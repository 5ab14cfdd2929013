package io.tokenbroker.authflow;

import java.net.URI;
import java.util.List;

import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.Ids;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.oauth.AuthorizationUrls;
import io.tokenbroker.problem.BrokerException;

import org.springframework.stereotype.Component;

/**
 * Builds the provider's authorization request: a fresh state (only its hash is stored), a PKCE verifier (stored
 * encrypted), and the scopes to ask for.
 */
@Component
class AuthorizationRequests {

	private final ProviderCatalog catalog;

	private final AuthorizationUrls authorizationUrls;

	private final TokenCipher cipher;

	private final AuthFlowProperties properties;

	AuthorizationRequests(ProviderCatalog catalog, AuthorizationUrls authorizationUrls, TokenCipher cipher,
			AuthFlowProperties properties) {
		this.catalog = catalog;
		this.authorizationUrls = authorizationUrls;
		this.cipher = cipher;
		this.properties = properties;
	}

	/** The connector's provider, when it is configured and connects with OAuth. */
	Provider provider(Connector connector) {
		Provider provider = this.catalog.requireConfigured(connector.getIntegrationType());
		if (provider.authMode() != AuthMode.OAUTH2) {
			throw BrokerException.badRequest(provider.displayName() + " connects with an API key, not OAuth.");
		}
		return provider;
	}

	/**
	 * The scopes to ask for: the connector's, or the catalog's defaults when it has none and the provider refuses an
	 * authorization request without a scope (Google).
	 */
	static List<String> scopes(Provider provider, Connector connector) {
		List<String> saved = connector.getScopes();
		return (saved.isEmpty() && provider.scopeRequired()) ? provider.scopes() : saved;
	}

	record Request(URI url, String stateHash, String verifierCipher) {
	}

	Request newRequest(Provider provider, Connector connector, String attemptId) {
		String state = Ids.randomToken(32);
		String verifier = provider.pkce() ? Pkce.newVerifier() : null;
		String verifierCipher = (verifier != null) ? this.cipher.encrypt(verifier, verifierData(attemptId)) : null;
		URI url = build(provider, connector, state, (verifier != null) ? Pkce.challenge(verifier) : null);
		return new Request(url, Pkce.sha256Hex(state), verifierCipher);
	}

	/** The origin the provider's page is at, for the connect page's form-action policy. */
	String providerOrigin(Provider provider, Connector connector) {
		URI url = build(provider, connector, "-", null);
		return url.getScheme() + "://" + url.getRawAuthority();
	}

	String decryptVerifier(AuthorizationAttempt attempt) {
		return (attempt.codeVerifierCipher() != null)
				? this.cipher.decrypt(attempt.codeVerifierCipher(), verifierData(attempt.id())) : null;
	}

	private URI build(Provider provider, Connector connector, String state, String challenge) {
		try {
			return this.authorizationUrls.build(provider, connector.getConnectionConfig(),
					this.properties.callbackUri(), state, challenge, scopes(provider, connector));
		}
		catch (IllegalArgumentException ex) {
			throw BrokerException.badRequest("The connector's connection config does not fill the provider's URL: "
					+ ex.getMessage());
		}
	}

	private static String verifierData(String attemptId) {
		return "oauth_state|" + attemptId + "|code_verifier";
	}

}
