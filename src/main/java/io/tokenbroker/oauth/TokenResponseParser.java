package io.tokenbroker.oauth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.Provider.TokenResponseMapping;
import io.tokenbroker.oauth.ProviderException.Kind;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads a token response with the provider's {@link TokenResponseMapping}. An {@code error} member means failure even
 * with HTTP 200 (Slack's {@code ok:false}, GitHub's form-style errors).
 */
@Component
class TokenResponseParser {

	/** OAuth errors that mean the grant is gone and only re-authorization helps. */
	private static final Set<String> DEAD_GRANT_ERRORS = Set.of("invalid_grant", "invalid_token",
			"invalid_refresh_token", "token_revoked", "token_expired", "bad_refresh_token", "invalid_code",
			"bad_verification_code", "access_denied");

	private static final Set<String> TRANSIENT_ERRORS = Set.of("temporarily_unavailable", "server_error",
			"ratelimited", "rate_limited", "slow_down");

	private final JsonMapper json = JsonMapper.builder().build();

	private final Clock clock;

	private final TokenResponseQuirks quirks;

	TokenResponseParser(Clock clock, TokenResponseQuirks quirks) {
		this.clock = clock;
		this.quirks = quirks;
	}

	TokenResult parse(Provider provider, ProviderResponse response, String previousRefreshToken) {
		JsonNode body = readBody(response.body());
		TokenResponseMapping map = provider.tokenResponse();
		String error = (body != null) ? JsonPaths.text(body, map.error()) : null;
		if (response.status() >= 500 || response.status() == 429) {
			throw new ProviderException(Kind.TRANSIENT, (error != null) ? error : "http_" + response.status(),
					description(body), response.retryAfter());
		}
		if (response.status() >= 300 || error != null || body == null) {
			String code = (error != null) ? error : "http_" + response.status();
			throw new ProviderException(classify(code, response.status()), code, description(body),
					response.retryAfter());
		}
		JsonNode json = this.quirks.normalize(provider, body);
		String accessToken = JsonPaths.text(json, map.accessToken());
		if (accessToken == null) {
			throw new ProviderException(Kind.REJECTED, "invalid_token_response",
					"The token response has no access token at '" + map.accessToken() + "'", null);
		}
		String refreshToken = JsonPaths.text(json, map.refreshToken());
		if (refreshToken == null) {
			refreshToken = previousRefreshToken;
		}
		Instant expiresAt = expiresAt(JsonPaths.text(json, map.expiresIn()), map.defaultLifetime());
		String scope = JsonPaths.text(json, map.scope());
		List<String> granted = (scope != null)
				? Arrays.stream(scope.split("[ ,]+")).filter((s) -> !s.isBlank()).toList() : null;
		Map<String, String> idClaims = idTokenClaims(JsonPaths.text(json, "id_token"));
		String accountId = firstNonNull(JsonPaths.text(json, map.accountId()), idClaims.get("sub"));
		String accountEmail = firstNonNull(JsonPaths.text(json, map.accountEmail()), idClaims.get("email"));
		Map<String, String> metadata = new LinkedHashMap<>();
		provider.connectionConfigFromResponse().forEach((key, path) -> {
			String value = JsonPaths.text(json, path);
			if (value != null) {
				metadata.put(key, value);
			}
		});
		return new TokenResult(accessToken, refreshToken, expiresAt, granted, accountId, accountEmail, metadata);
	}

	private JsonNode readBody(String text) {
		String trimmed = text.strip();
		if (trimmed.isEmpty()) {
			return null;
		}
		if (trimmed.startsWith("{")) {
			try {
				return this.json.readTree(trimmed);
			}
			catch (JacksonException ex) {
				return null;
			}
		}
		// Some providers (GitHub without Accept: application/json) answer form-encoded.
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		UriComponentsBuilder.fromUriString("?" + trimmed)
			.build()
			.getQueryParams()
			.forEach((k, v) -> node.put(k, java.net.URLDecoder.decode(v.get(0) == null ? "" : v.get(0),
					java.nio.charset.StandardCharsets.UTF_8)));
		return node.isEmpty() ? null : node;
	}

	/** From {@code expires_in}, else the catalog's assumed lifetime for providers that never say; null: no expiry. */
	private Instant expiresAt(String expiresIn, Duration defaultLifetime) {
		Instant now = Instant.now(this.clock);
		if (expiresIn != null) {
			try {
				long seconds = (long) Double.parseDouble(expiresIn);
				return (seconds > 0) ? now.plusSeconds(seconds) : null;
			}
			catch (NumberFormatException ex) {
				// Not a number: treat as absent.
			}
		}
		return (defaultLifetime != null) ? now.plus(defaultLifetime) : null;
	}

	private static Kind classify(String error, int status) {
		if (DEAD_GRANT_ERRORS.contains(error)) {
			return Kind.GRANT_INVALID;
		}
		if (TRANSIENT_ERRORS.contains(error)) {
			return Kind.TRANSIENT;
		}
		return Kind.REJECTED;
	}

	private static String description(JsonNode body) {
		String text = (body != null) ? firstNonNull(JsonPaths.text(body, "error_description"),
				JsonPaths.text(body, "message")) : null;
		if (text == null) {
			return null;
		}
		String clean = text.replaceAll("\\p{Cntrl}", " ");
		return (clean.length() > 300) ? clean.substring(0, 300) + "…" : clean;
	}

	/**
	 * Claims of an ID token received straight from the token endpoint over TLS; OpenID Connect Core §3.1.3.7 lets the
	 * client skip signature validation in this case. Only used to learn the account.
	 */
	private static Map<String, String> idTokenClaims(String idToken) {
		if (idToken == null) {
			return Map.of();
		}
		try {
			JWTClaimsSet claims = JWTParser.parse(idToken).getJWTClaimsSet();
			Map<String, String> out = new LinkedHashMap<>();
			if (claims.getSubject() != null) {
				out.put("sub", claims.getSubject());
			}
			Object email = claims.getClaim("email");
			if (email instanceof String e) {
				out.put("email", e);
			}
			return out;
		}
		catch (ParseException ex) {
			return Map.of();
		}
	}

	private static String firstNonNull(String a, String b) {
		return (a != null) ? a : b;
	}

}
