package io.tokenbroker.oauth;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import feign.Response;
import feign.RetryableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.catalog.BodyFormat;
import io.tokenbroker.catalog.ClientAuth;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.UrlTemplates;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.egress.AddressGuard;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Talks to a provider's token and revocation endpoints: builds each request in the provider's style (form or JSON
 * body, client secret in the body or as HTTP Basic) and turns the answer into a {@link TokenResult} or a classified
 * {@link ProviderException}.
 */
@Component
public class TokenEndpoint {

	private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);

	private final ProviderHttpClient http;

	private final TokenResponseParser parser;

	private final JsonMapper json;

	TokenEndpoint(ProviderHttpClient http, TokenResponseParser parser) {
		this.http = http;
		this.parser = parser;
		this.json = JsonMapper.builder().build();
	}

	/** Redeems an authorization code (RFC 6749 §4.1.3), with the PKCE verifier when one was sent. */
	public TokenResult exchangeCode(Provider provider, Map<String, String> config, String code, URI redirectUri,
			String codeVerifier) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("grant_type", "authorization_code");
		params.put("code", code);
		params.put("redirect_uri", redirectUri.toString());
		if (codeVerifier != null) {
			params.put("code_verifier", codeVerifier);
		}
		return this.parser.parse(provider, send(provider, provider.tokenUrl(), config, params), null);
	}

	/**
	 * Refreshes (RFC 6749 §6). The result's refresh token is the old one when the provider did not rotate it.
	 * {@code scopes} are sent only to providers that want them repeated on refresh.
	 */
	public TokenResult refresh(Provider provider, Map<String, String> config, String refreshToken,
			List<String> scopes) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("grant_type", "refresh_token");
		params.put("refresh_token", refreshToken);
		if (provider.tokenRequest().refreshSendsScope() && scopes != null && !scopes.isEmpty()) {
			params.put("scope", provider.joinScopes(scopes));
		}
		return this.parser.parse(provider, send(provider, provider.tokenUrl(), config, params), refreshToken);
	}

	/**
	 * Revokes a token (RFC 7009) when the provider has a revocation endpoint. Best effort: failures are logged, never
	 * thrown, because a local delete must not depend on the provider. Returns whether the provider confirmed it.
	 */
	public boolean revoke(Provider provider, Map<String, String> config, String token, String tokenTypeHint) {
		if (provider.revocationUrl() == null || token == null) {
			return false;
		}
		Map<String, String> params = new LinkedHashMap<>();
		params.put("token", token);
		params.put("token_type_hint", tokenTypeHint);
		try {
			ProviderResponse response = send(provider, provider.revocationUrl(), config, params);
			if (response.status() >= 300) {
				log.warn("Revocation at {} answered HTTP {}", provider.type(), response.status());
				return false;
			}
			return true;
		}
		catch (RuntimeException ex) {
			log.warn("Revocation at {} failed: {}", provider.type(), ex.getClass().getSimpleName());
			return false;
		}
	}

	private ProviderResponse send(Provider provider, String urlTemplate, Map<String, String> config,
			Map<String, String> params) {
		Provider.ClientCredentials client = provider.credentials();
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Accept", MediaType.APPLICATION_JSON_VALUE);
		Map<String, String> body = new LinkedHashMap<>(params);
		Provider.TokenRequestStyle style = provider.tokenRequest();
		if (style.clientAuth() == ClientAuth.BASIC) {
			String credentials = formEncode(client.clientId()) + ":" + formEncode(client.clientSecret());
			headers.put("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		else {
			body.put(style.clientIdParam(), client.clientId());
			body.put(style.clientSecretParam(), client.clientSecret());
		}
		String encoded;
		if (style.body() == BodyFormat.JSON) {
			headers.put("Content-Type", MediaType.APPLICATION_JSON_VALUE);
			encoded = this.json.writeValueAsString(body);
		}
		else {
			headers.put("Content-Type", MediaType.APPLICATION_FORM_URLENCODED_VALUE + ";charset=UTF-8");
			StringBuilder form = new StringBuilder();
			body.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
				.append(formEncode(name))
				.append('=')
				.append(formEncode(value)));
			encoded = form.toString();
		}
		URI endpoint = endpoint(provider, urlTemplate, config);
		try (Response response = this.http.post(endpoint, headers, encoded)) {
			return ProviderResponse.read(response);
		}
		catch (RetryableException ex) {
			if (SentRequests.mayHaveBeenSent(ex.getCause())) {
				throw ProviderException.unanswered();
			}
			throw new ProviderException(ProviderException.Kind.TRANSIENT, "network_error",
					"The provider could not be reached", null);
		}
	}

	/**
	 * The filled URL, refused before anything is sent when connection-config values would move it to another host,
	 * or chose a host (the operator did not write it) that is an IP literal or resolves to a non-public address: the
	 * request carries the client secret and a code or refresh token.
	 */
	private static URI endpoint(Provider provider, String urlTemplate, Map<String, String> config) {
		UrlTemplates.Expanded target;
		try {
			target = UrlTemplates.expandUrl(urlTemplate, config);
			if (target.hostFromValues()) {
				AddressGuard.requirePublicHost(target.uri().getHost());
			}
		}
		catch (IllegalArgumentException | BrokerException ex) {
			log.warn("Token request to {} refused: the connection's configuration names a host it may not use",
					provider.type());
			throw new ProviderException(ProviderException.Kind.REJECTED, "invalid_request",
					"The provider URL built from this connection's configuration is not allowed", null);
		}
		catch (UnknownHostException ex) {
			throw new ProviderException(ProviderException.Kind.TRANSIENT, "network_error",
					"The provider could not be reached", null);
		}
		return target.uri();
	}

	private static String formEncode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8).replace("%20", "+");
	}

}
