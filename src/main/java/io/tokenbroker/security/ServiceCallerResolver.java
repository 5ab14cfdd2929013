package io.tokenbroker.security;

import java.util.HashSet;
import java.util.Set;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Supplies {@link ServiceCaller} parameters from the verified JWT. A token without a usable {@code app_id} is 401. */
class ServiceCallerResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == ServiceCaller.class;
	}

	@Override
	public ServiceCaller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
		return current();
	}

	/** The service caller of the current request; an end user's token is never one. */
	static ServiceCaller current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || AppUserResolver.isEndUser(authentication)) {
			throw unauthorized("A service-role bearer token is required.");
		}
		if (authentication.getPrincipal() instanceof ServiceCaller caller) {
			return caller;
		}
		if (authentication.getPrincipal() instanceof Jwt jwt) {
			return fromJwt(jwt);
		}
		throw unauthorized("A service-role bearer token is required.");
	}

	static ServiceCaller fromJwt(Jwt jwt) {
		Object appId = jwt.getClaims().get("app_id");
		if (!(appId instanceof String app) || !ServiceCaller.isAppId(app)) {
			throw unauthorized("The service-role token has no valid app_id claim.");
		}
		Object scope = jwt.getClaims().get("scope");
		Set<String> scopes = (scope instanceof String s) ? scopes(s) : Set.of();
		String subject = (jwt.getSubject() != null) ? jwt.getSubject() : "";
		return new ServiceCaller(subject, app, scopes);
	}

	/** The space-separated scopes; a loop, not a stream: this runs on every service request. */
	private static Set<String> scopes(String claim) {
		Set<String> scopes = new HashSet<>();
		for (String scope : claim.split(" ")) {
			if (!scope.isBlank()) {
				scopes.add(scope);
			}
		}
		return Set.copyOf(scopes);
	}

	private static BrokerException unauthorized(String detail) {
		return new BrokerException(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, detail);
	}

}
