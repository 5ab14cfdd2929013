package io.tokenbroker.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests that carry a workspace API key ({@code api_key: b44k_…}) as the key's service caller, with
 * the key's scopes as authorities. A presented key that does not verify is a 401 at once: the caller meant to use it,
 * so falling back to another credential would only hide the mistake.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	private final Optional<ApiKeyVerifier> verifier;

	private final ProblemAuthenticationHandlers problems;

	ApiKeyAuthenticationFilter(Optional<ApiKeyVerifier> verifier, ProblemAuthenticationHandlers problems) {
		this.verifier = verifier;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = request.getHeader(ApiKeyVerifier.HEADER);
		if (presented == null) {
			chain.doFilter(request, response);
			return;
		}
		Optional<ServiceCaller> caller = this.verifier.flatMap((v) -> v.verify(presented.trim()));
		if (caller.isEmpty()) {
			this.problems.unauthorized(request, response,
					"The workspace API key (api_key header) is unknown or revoked.");
			return;
		}
		List<SimpleGrantedAuthority> authorities = caller.get()
			.scopes()
			.stream()
			.map((scope) -> new SimpleGrantedAuthority("SCOPE_" + scope))
			.toList();
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(caller.get(), null, authorities));
		SecurityContextHolder.setContext(context);
		chain.doFilter(request, response);
	}

}
