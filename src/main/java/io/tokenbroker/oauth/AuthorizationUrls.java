package io.tokenbroker.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.UrlTemplates;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/** Builds the provider's authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3). */
@Component
public class AuthorizationUrls {

	/**
	 * @param codeChallenge the S256 PKCE challenge, or null when the provider does not take PKCE
	 */
	public URI build(Provider provider, Map<String, String> config, URI redirectUri, String state,
			String codeChallenge, List<String> scopes) {
		UriComponentsBuilder url = UriComponentsBuilder
			.fromUri(UrlTemplates.expandUrl(provider.authorizationUrl(), config).uri());
		add(url, provider.authorizationParamName("response_type"), "code");
		add(url, provider.authorizationParamName("client_id"), provider.credentials().clientId());
		add(url, provider.authorizationParamName("redirect_uri"), redirectUri.toString());
		add(url, provider.authorizationParamName("state"), state);
		if (!scopes.isEmpty()) {
			add(url, provider.authorizationParamName("scope"), provider.joinScopes(scopes));
		}
		if (codeChallenge != null) {
			add(url, provider.authorizationParamName("code_challenge"), codeChallenge);
			add(url, provider.authorizationParamName("code_challenge_method"), "S256");
		}
		provider.authorizationParams().forEach((name, value) -> add(url, name, value));
		return url.build(true).toUri();
	}

	/**
	 * Percent-encodes every reserved character of the value, '+' included: many providers read a bare '+' in a query
	 * as a space.
	 */
	private static void add(UriComponentsBuilder url, String name, String value) {
		url.queryParam(UriUtils.encode(name, StandardCharsets.UTF_8), UriUtils.encode(value, StandardCharsets.UTF_8));
	}

}
