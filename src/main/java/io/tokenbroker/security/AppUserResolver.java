package io.tokenbroker.security;

import java.util.Locale;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies {@link AppUser} parameters: from the end user's own token on end-user routes, or from the
 * {@code On-Behalf-Of} header on service routes. The user id never comes from anything but a verified token.
 */
class AppUserResolver implements HandlerMethodArgumentResolver {

	/** The authority of a request authenticated by an end-user token (never granted to service tokens). */
	static final String AUTHORITY = "APP_USER";

	static final String ON_BEHALF_OF = "On-Behalf-Of";

	private final EndUserTokens tokens;

	AppUserResolver(EndUserTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == AppUser.class;
	}

	@Override
	public AppUser resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (isEndUser(authentication) && authentication.getPrincipal() instanceof Jwt jwt) {
			return EndUserTokens.fromJwt(jwt);
		}
		ServiceCaller caller = ServiceCallerResolver.current();
		String header = webRequest.getHeader(ON_BEHALF_OF);
		if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")
				|| header.substring(7).isBlank()) {
			throw EndUserTokens.unauthorized(
					"This request acts for an end user: send On-Behalf-Of: Bearer <end-user JWT>.");
		}
		AppUser user = this.tokens.verify(header.substring(7).trim());
		if (!user.appId().equals(caller.appId())) {
			throw EndUserTokens.unauthorized("The end-user token is for another app than the service token.");
		}
		return user;
	}

	static boolean isEndUser(Authentication authentication) {
		if (authentication == null) {
			return false;
		}
		// A loop, not a stream: this runs on every service request.
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (AUTHORITY.equals(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

}
