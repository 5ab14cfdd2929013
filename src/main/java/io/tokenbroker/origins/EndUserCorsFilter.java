package io.tokenbroker.origins;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * CORS for the routes a browser calls with an end user's token, and only those: preflights are answered without
 * authentication, an allowed origin gets {@code Access-Control-Allow-Origin} (no credentials mode: the token is a
 * bearer header), and any other origin gets a 403 problem without CORS headers before anything runs. The app is the
 * one in the path (Base44 routes) or the owner of the connector in the path (native routes); the token must name the
 * same app anyway, or the route answers 404.
 */
public class EndUserCorsFilter extends OncePerRequestFilter {

	/** Preflights of the end-user routes, which carry no token. */
	public static final RequestMatcher PREFLIGHTS = new OrRequestMatcher(
			pathPattern(HttpMethod.OPTIONS, "/app-user-connectors/*/connect"),
			pathPattern(HttpMethod.OPTIONS, "/app-user-connectors/*/connection"),
			pathPattern(HttpMethod.OPTIONS, "/app-user-connectors/*/status"),
			pathPattern(HttpMethod.OPTIONS, "/api/apps/*/app-user-auth/connectors/*/initiate"),
			pathPattern(HttpMethod.OPTIONS, "/api/apps/*/app-user-auth/connectors/*"));

	private static final Pattern BASE44_PATH = Pattern.compile("^/api/apps/([^/]+)/app-user-auth/connectors/.*");

	private static final Pattern NATIVE_PATH = Pattern.compile("^/app-user-connectors/([^/]+)/[a-z]+$");

	private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");

	/** What the Base44 SDK and a plain fetch send; nothing else is needed by these routes. */
	private static final Set<String> HEADERS = Set.of("authorization", "content-type", "accept", "x-app-id",
			"x-origin-url", "x-request-id");

	private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, X-App-Id, X-Origin-URL, "
			+ "X-Request-ID";

	private final AllowedOrigins origins;

	public EndUserCorsFilter(AllowedOrigins origins) {
		this.origins = origins;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!crossOrigin(request)) {
			chain.doFilter(request, response);
			return;
		}
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		response.addHeader(HttpHeaders.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
		boolean preflight = CorsUtils.isPreFlightRequest(request);
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!allowed(path, origin) || (preflight && !acceptable(request))) {
			// The Base44 clients show an error's "message"; native callers read the problem's detail.
			Problems.write(response, HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
					"This origin may not call the broker from a browser. Add it to broker.cors.allowed-origins or "
							+ "to the app's allowed origins (PUT /allowed-origins).",
					BASE44_PATH.matcher(path).matches());
			return;
		}
		response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
		if (preflight) {
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, DELETE");
			response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
			response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
			response.setStatus(HttpStatus.NO_CONTENT.value());
			return;
		}
		response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Request-ID, X-Base44-Connector-Error");
		chain.doFilter(request, response);
	}

	/** Whether the request comes from another origin's page; an Origin that does not parse counts as a foreign one. */
	private static boolean crossOrigin(HttpServletRequest request) {
		try {
			return CorsUtils.isCorsRequest(request);
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	private boolean allowed(String path, String origin) {
		Matcher base44 = BASE44_PATH.matcher(path);
		if (base44.matches()) {
			return this.origins.allowsForApp(base44.group(1), origin);
		}
		Matcher nativeRoute = NATIVE_PATH.matcher(path);
		return nativeRoute.matches() && this.origins.allowsForConnector(nativeRoute.group(1), origin);
	}

	private static boolean acceptable(HttpServletRequest request) {
		String method = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
		String headers = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
		return METHODS.contains(method) && (headers == null || headers.isBlank() || Arrays.stream(headers.split(","))
			.map((h) -> h.strip().toLowerCase(Locale.ROOT))
			.allMatch((h) -> h.isEmpty() || HEADERS.contains(h)));
	}

}
