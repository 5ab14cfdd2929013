package io.tokenbroker.oauth;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.UrlTemplates;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/** Builds the provider's authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3). */
@Component
public class AuthorizationUrls {

	/**
	 * @param codeChallenge the S256 PKCE challenge, or null when the provider does not take PKCE
	 */
	public URI build(Provider provider, Map<String, String> config, URI redirectUri, String state,
			String codeChallenge, List<String> scopes) {
		UriComponentsBuilder url = UriComponentsBuilder
			.fromUriString(UrlTemplates.expand(provider.authorizationUrl(), config))
			.queryParam(provider.authorizationParamName("response_type"), "code")
			.queryParam(provider.authorizationParamName("client_id"), provider.credentials().clientId())
			.queryParam(provider.authorizationParamName("redirect_uri"), redirectUri.toString())
			.queryParam(provider.authorizationParamName("state"), state);
		if (!scopes.isEmpty()) {
			url.queryParam(provider.authorizationParamName("scope"), provider.joinScopes(scopes));
		}
		if (codeChallenge != null) {
			url.queryParam(provider.authorizationParamName("code_challenge"), codeChallenge)
				.queryParam(provider.authorizationParamName("code_challenge_method"), "S256");
		}
		provider.authorizationParams().forEach(url::queryParam);
		return url.encode().build().toUri();
	}

}
