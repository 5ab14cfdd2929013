package io.tokenbroker.catalog;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.tokenbroker.catalog.Provider.ApiAccess;
import io.tokenbroker.catalog.Provider.ApiKeyRules;
import io.tokenbroker.catalog.Provider.ClientCredentials;
import io.tokenbroker.catalog.Provider.TokenRequestStyle;
import io.tokenbroker.catalog.Provider.TokenResponseMapping;
import io.tokenbroker.catalog.ProviderSpec.TokenResponseSpec;

/** Turns a merged {@link ProviderSpec} into a {@link Provider}, applying defaults and failing fast on bad data. */
final class ProviderResolver {

	/** RFC 9110 token characters: what a header name may consist of. */
	private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private ProviderResolver() {
	}

	/** Resolves a spec that carries nothing from the operator's configuration (a catalog entry as written). */
	static Provider resolve(String type, ProviderSpec spec) {
		return resolve(type, spec, null);
	}

	/**
	 * @param operatorSpec what the operator's configuration alone says about the type (null when nothing): API base
	 * URLs written there are trusted further than the catalog's
	 */
	static Provider resolve(String type, ProviderSpec spec, ProviderSpec operatorSpec) {
		ProviderCatalog.checkSyntax(type);
		AuthMode mode = (spec.authMode() != null) ? spec.authMode() : AuthMode.OAUTH2;
		if (mode == AuthMode.OAUTH2) {
			requireUrl(type, "authorization-url", spec.authorizationUrl());
			requireUrl(type, "token-url", spec.tokenUrl());
		}
		List<ConfigField> fields = (spec.connectionConfigFields() != null) ? spec.connectionConfigFields() : List.of();
		for (ConfigField field : fields) {
			checkPattern(type, "connection-config-fields '" + field.name() + "'", field.validationPattern());
		}
		checkHostPlaceholders(type, "authorization-url", spec.authorizationUrl(), fields);
		checkHostPlaceholders(type, "token-url", spec.tokenUrl(), fields);
		checkHostPlaceholders(type, "revocation-url", spec.revocationUrl(), fields);
		Map<String, String> paramNames = Map.copyOf(or(spec.authorizationParamNames(), Map.of()));
		paramNames.keySet().stream().filter((name) -> !Provider.AUTHORIZATION_PARAMETERS.contains(name)).findFirst()
			.ifPresent((name) -> {
				throw new IllegalStateException("Provider '" + type + "': authorization-param-names may rename only "
						+ Provider.AUTHORIZATION_PARAMETERS + ", not '" + name + "'");
			});
		TokenResponseSpec r = (spec.tokenResponse() != null) ? spec.tokenResponse()
				: new TokenResponseSpec(null, null, null, null, null, null, null);
		TokenResponseMapping mapping = new TokenResponseMapping(or(r.accessToken(), "access_token"),
				or(r.refreshToken(), "refresh_token"), or(r.expiresIn(), "expires_in"), or(r.scope(), "scope"),
				r.accountId(), r.accountEmail(), or(r.error(), "error"), lifetime(type, spec.defaultExpiresIn()));
		TokenRequestStyle style = new TokenRequestStyle(or(spec.tokenRequestBody(), BodyFormat.FORM),
				or(spec.clientAuth(), ClientAuth.BODY), or(spec.clientIdParam(), "client_id"),
				or(spec.clientSecretParam(), "client_secret"), or(spec.refreshSendsScope(), Boolean.FALSE));
		List<String> apiBaseUrls = new ArrayList<>();
		if (spec.apiBaseUrl() != null) {
			apiBaseUrls.add(spec.apiBaseUrl());
		}
		if (spec.apiBaseUrls() != null) {
			spec.apiBaseUrls().stream().filter((u) -> !apiBaseUrls.contains(u)).forEach(apiBaseUrls::add);
		}
		ClientCredentials credentials = (hasText(spec.clientId()) && hasText(spec.clientSecret()))
				? new ClientCredentials(spec.clientId(), spec.clientSecret()) : null;
		return new Provider(type, or(spec.displayName(), type), or(spec.description(), ""), mode,
				spec.authorizationUrl(), spec.tokenUrl(), spec.revocationUrl(),
				List.copyOf(or(spec.scopes(), List.of())), or(spec.scopeSeparator(), " "),
				Map.copyOf(or(spec.authorizationParams(), Map.of())), paramNames, or(spec.pkce(), Boolean.TRUE),
				style, mapping, Map.copyOf(or(spec.connectionConfigFromResponse(), Map.of())), List.copyOf(fields),
				List.copyOf(apiBaseUrls), spec.quirk(), credentials, apiKeyRules(type, mode, spec),
				apiAccess(type, spec, operatorSpec), hasText(spec.issuer()) ? spec.issuer() : null,
				or(spec.scopeRequired(), Boolean.FALSE), or(spec.revocationEndsEveryGrant(), Boolean.FALSE));
	}

	private static ApiKeyRules apiKeyRules(String type, AuthMode mode, ProviderSpec spec) {
		if (mode != AuthMode.API_KEY) {
			return null;
		}
		checkPattern(type, "api-key-pattern", spec.apiKeyPattern());
		ApiKeyRules rules = new ApiKeyRules(spec.apiKeyPattern(), hasText(spec.apiKey()) ? spec.apiKey() : null);
		if (rules.operatorKey() != null && !rules.accepts(rules.operatorKey())) {
			// Never name the key itself: this message ends up in logs.
			throw new IllegalStateException("Provider '" + type + "': broker.providers." + type
					+ ".api-key does not match the type's api-key-pattern");
		}
		return rules;
	}

	private static Duration lifetime(String type, Long seconds) {
		if (seconds == null) {
			return null;
		}
		if (seconds <= 0) {
			throw new IllegalStateException("Provider '" + type + "': default-expires-in must be positive seconds");
		}
		return Duration.ofSeconds(seconds);
	}

	private static void checkPattern(String type, String what, String pattern) {
		if (pattern == null) {
			return;
		}
		try {
			Pattern.compile(pattern);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalStateException("Provider '" + type + "': " + what + " has an invalid pattern");
		}
	}

	/**
	 * A placeholder in the host of a URL that carries the client secret (or sends the user to sign in) is filled by
	 * apps: only a field whose pattern the operator wrote may fill it, or any app admin could choose the host.
	 */
	private static void checkHostPlaceholders(String type, String name, String url, List<ConfigField> fields) {
		if (url == null) {
			return;
		}
		for (String placeholder : UrlTemplates.hostPlaceholders(url)) {
			boolean guarded = fields.stream()
				.anyMatch((f) -> f.name().equals(placeholder) && hasText(f.validationPattern()));
			if (!guarded) {
				throw new IllegalStateException("Provider '" + type + "': {" + placeholder + "} in the host of " + name
						+ " needs a connection-config field '" + placeholder + "' with a validation-pattern "
						+ "(broker.providers." + type + ".connection-config-fields[*].validation-pattern)");
			}
		}
	}

	private static ApiAccess apiAccess(String type, ProviderSpec spec, ProviderSpec operatorSpec) {
		String authHeader = or(spec.apiAuthHeader(), "Authorization");
		Map<String, String> headers = new LinkedHashMap<>(or(spec.apiHeaders(), Map.of()));
		for (String name : concat(List.of(authHeader), headers.keySet())) {
			if (!HEADER_NAME.matcher(name).matches()) {
				throw new IllegalStateException("Provider '" + type + "': '" + name + "' is not a valid header name");
			}
		}
		headers.values().stream().filter((v) -> v == null || v.chars().anyMatch((c) -> c < ' ' || c == 127))
			.findFirst().ifPresent((v) -> {
				throw new IllegalStateException("Provider '" + type + "': api-headers values must be one-line text");
			});
		// Placeholders are filled from connection config, which apps supply: such URLs are never trusted.
		Set<String> operatorBaseUrls = new LinkedHashSet<>();
		if (operatorSpec != null) {
			if (operatorSpec.apiBaseUrl() != null) {
				operatorBaseUrls.add(operatorSpec.apiBaseUrl());
			}
			operatorBaseUrls.addAll(or(operatorSpec.apiBaseUrls(), List.of()));
			operatorBaseUrls.removeIf((url) -> url.indexOf('{') >= 0);
		}
		return new ApiAccess(authHeader, or(spec.apiAuthScheme(), "Bearer").strip(), Map.copyOf(headers),
				Set.copyOf(operatorBaseUrls));
	}

	private static List<String> concat(List<String> a, Set<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private static void requireUrl(String type, String name, String url) {
		if (!hasText(url)) {
			throw new IllegalStateException("Provider '" + type + "' has no " + name
					+ "; set broker.providers." + type + "." + name);
		}
		URI uri = URI.create(url.replaceAll("\\{[A-Za-z0-9_]+}", "placeholder"));
		if (!uri.isAbsolute() || uri.getHost() == null) {
			throw new IllegalStateException("Provider '" + type + "': " + name + " must be an absolute URL");
		}
	}

	private static boolean hasText(String s) {
		return s != null && !s.isBlank();
	}

	private static <T> T or(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

}
