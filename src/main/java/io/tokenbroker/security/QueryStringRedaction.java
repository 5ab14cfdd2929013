package io.tokenbroker.security;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides the values of secret query parameters from everything that prints a request's query string. Providers send
 * the authorization code and the state to the OAuth callback in the query (RFC 6749 §4.1.2), and at DEBUG Spring
 * Security ("Securing GET /oauth/callback?...") and the DispatcherServlet log the request line with its query. The
 * request seen after this filter answers {@code getQueryString()} with those values replaced by {@code ****};
 * parameters themselves ({@code getParameter}) still carry the real values, so the callback works unchanged.
 */
class QueryStringRedaction extends OncePerRequestFilter {

	static final String MASK = "****";

	private static final Set<String> SECRET_PARAMETERS = Set.of("code", "state", "access_token", "refresh_token",
			"id_token", "token", "client_secret", "code_verifier");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query == null || query.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		String redacted = redact(query);
		chain.doFilter(redacted.equals(query) ? request : new HttpServletRequestWrapper(request) {
			@Override
			public String getQueryString() {
				return redacted;
			}
		}, response);
	}

	/** The query with the value of every secret parameter replaced; names, order and other values kept. */
	static String redact(String query) {
		StringJoiner out = new StringJoiner("&");
		for (String pair : query.split("&", -1)) {
			int eq = pair.indexOf('=');
			String name = (eq < 0) ? pair : pair.substring(0, eq);
			boolean secret = eq >= 0 && SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
			out.add(secret ? name + "=" + MASK : pair);
		}
		return out.toString();
	}

}
