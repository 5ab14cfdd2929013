package io.tokenbroker.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.util.StringUtils;

/**
 * Spring Security's default bearer-token rule (the {@code Authorization} header only; {@code Bearer}, one space, then
 * {@code [a-zA-Z0-9-._~+/]+=*}), checked by a loop instead of its regular expression: every service request carries a
 * JWT of several hundred characters, and matching it cost as much as finding the verified token in the cache. Tokens
 * in query or form parameters stay refused, as by default.
 */
final class BearerTokens implements BearerTokenResolver {

	private static final String SCHEME = "bearer";

	@Override
	public String resolve(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (!StringUtils.startsWithIgnoreCase(authorization, SCHEME)) {
			return null;
		}
		String token = token(authorization);
		if (token == null) {
			throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
		}
		return token;
	}

	/** The token of a well-formed header value, or null. */
	static String token(String authorization) {
		int start = SCHEME.length() + 1;
		if (authorization.length() <= start || authorization.charAt(SCHEME.length()) != ' ') {
			return null;
		}
		for (int i = 0; i < SCHEME.length(); i++) {
			char c = authorization.charAt(i);
			// ASCII case only, as the pattern's CASE_INSENSITIVE flag without UNICODE_CASE.
			if (c != SCHEME.charAt(i) && c != Character.toUpperCase(SCHEME.charAt(i))) {
				return null;
			}
		}
		int end = authorization.length();
		while (end > start && authorization.charAt(end - 1) == '=') {
			end--;
		}
		if (end == start) {
			return null;
		}
		for (int i = start; i < end; i++) {
			if (!tokenChar(authorization.charAt(i))) {
				return null;
			}
		}
		return authorization.substring(start);
	}

	private static boolean tokenChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~' || c == '+' || c == '/';
	}

}
