package io.tokenbroker.console;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * {@code POST /console/login/api-key}: signs in with a workspace API key from the sign-in form. The key itself is
 * never stored in the session, only the operator it stands for; the session id changes at sign-in.
 */
class ApiKeySignInFilter extends AbstractAuthenticationProcessingFilter {

	static final String PATH = "/console/login/api-key";

	private static final int MAX_KEY_LENGTH = 200;

	ApiKeySignInFilter(ApiKeySignIn signIn, SecurityContextRepository contexts) {
		super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, PATH));
		setAuthenticationManager((authentication) -> {
			String key = (String) authentication.getCredentials();
			ConsoleOperator operator = (key != null && !key.isBlank() && key.length() <= MAX_KEY_LENGTH)
					? signIn.signIn(key.strip()).orElse(null) : null;
			if (operator == null) {
				throw new BadCredentialsException("Unknown or revoked API key");
			}
			return UsernamePasswordAuthenticationToken.authenticated(operator, null,
					List.of(new SimpleGrantedAuthority(ConsoleOperator.AUTHORITY)));
		});
		setSecurityContextRepository(contexts);
		setSessionAuthenticationStrategy(new ChangeSessionIdAuthenticationStrategy());
		setAuthenticationSuccessHandler(new SimpleUrlAuthenticationSuccessHandler("/console"));
		setAuthenticationFailureHandler(
				new SimpleUrlAuthenticationFailureHandler(ConsoleSecurityConfiguration.LOGIN_PAGE + "?error=api-key"));
	}

	@Override
	public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response) {
		return getAuthenticationManager()
			.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("api-key", request.getParameter("api_key")));
	}

}
