package io.tokenbroker.console;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Dev mode only, and only when no OIDC provider is configured: everyone who opens the console is its operator, as
 * everyone who can reach a laptop's dev broker already holds its generated keys.
 */
class DevSignInFilter extends OncePerRequestFilter {

	private final SecurityContextRepository contexts;

	DevSignInFilter(SecurityContextRepository contexts) {
		this.contexts = contexts;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication current = SecurityContextHolder.getContext().getAuthentication();
		if (current == null || !current.isAuthenticated()) {
			ConsoleOperator developer = ConsoleOperator.ofDeployment("Developer",
					ConsoleOperator.SignInMethod.DEV_MODE);
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(developer, null,
					List.of(new SimpleGrantedAuthority(ConsoleOperator.AUTHORITY))));
			SecurityContextHolder.setContext(context);
			this.contexts.saveContext(context, request, response);
		}
		chain.doFilter(request, response);
	}

}
