package io.tokenbroker.security;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * 401 and 403 as problems. The bearer-token handlers set the status and the {@code WWW-Authenticate} challenge
 * (RFC 6750); this class adds the body. The failure reason is not echoed: it could quote the token.
 */
class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();

	private final String missingDetail;

	private final String invalidDetail;

	private final RequestMatcher withMessage;

	ProblemAuthenticationHandlers(String missingDetail, String invalidDetail) {
		this(missingDetail, invalidDetail, (request) -> false);
	}

	/** {@code withMessage}: requests whose problems also carry {@code message} (the Base44 clients read it). */
	ProblemAuthenticationHandlers(String missingDetail, String invalidDetail, RequestMatcher withMessage) {
		this.missingDetail = missingDetail;
		this.invalidDetail = invalidDetail;
		this.withMessage = withMessage;
	}

	static ProblemAuthenticationHandlers forServiceTokens() {
		return new ProblemAuthenticationHandlers("A service-role bearer token is required (Authorization: Bearer <JWT>).",
				"The bearer token is invalid, expired or not issued for this broker.");
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		this.entryPoint.commence(request, response, authException);
		String challenge = response.getHeader(HttpHeaders.WWW_AUTHENTICATE);
		if (challenge != null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, withoutResourceMetadata(challenge));
		}
		String detail = (request.getHeader("Authorization") == null) ? this.missingDetail : this.invalidDetail;
		unauthorized(request, response, detail);
	}

	/**
	 * Spring Security's challenge names a protected resource metadata document (RFC 9728, {@code resource_metadata},
	 * always its last parameter); the broker publishes none ({@link BearerOnlyChains}).
	 */
	static String withoutResourceMetadata(String challenge) {
		int at = challenge.indexOf("resource_metadata=");
		if (at < 0) {
			return challenge;
		}
		String kept = challenge.substring(0, at).strip();
		return kept.endsWith(",") ? kept.substring(0, kept.length() - 1) : kept;
	}

	void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
		Problems.write(response, HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, detail,
				this.withMessage.matches(request));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException, ServletException {
		this.deniedHandler.handle(withCaller(request), response, accessDeniedException);
		Problems.write(response, HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
				"The credential's scopes do not allow this request (connectors:read reads tokens, "
						+ "connectors:admin manages connectors).",
				this.withMessage.matches(request));
	}

	/**
	 * Spring Security's handler reads the caller from {@code getUserPrincipal()} to write {@code error=
	 * "insufficient_scope"} for a bearer token (RFC 6750 section 3.1). The chains leave out the servlet API wrapper
	 * that would answer it ({@code SecurityConfiguration}), so the caller is handed over from the security context.
	 */
	private static HttpServletRequest withCaller(HttpServletRequest request) {
		Authentication caller = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
		return new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return caller;
			}

		};
	}

}
