package io.tokenbroker.security;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.authorization.SingleResultAuthorizationManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Enforces the rule each handler method declares beside its route, once the filter chains have authenticated the
 * caller and before any argument is bound: a refused caller's body and headers are never read. A handler of this
 * application without exactly one rule is refused to everyone (fail closed); the routes of libraries (the OpenAPI
 * document) are opened or closed by the filter chains. A refusal is an {@link AccessDeniedException} for the chain's
 * exception translation, which answers the problem 401 (anonymous caller) or 403.
 */
@Component
class RouteAccess implements HandlerInterceptor, WebMvcConfigurer {

	/** The annotations that declare a route's rule; a handler carries exactly one. */
	static final List<Class<? extends Annotation>> RULES = List.of(PublicRoute.class, EndUserRoute.class,
			RequiresScope.class, AnyServiceCaller.class, RequiresAuthority.class);

	private static final String APPLICATION_PACKAGE = "io.tokenbroker.";

	private final Map<Method, AuthorizationManager<HttpServletRequest>> rules = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method && isApplications(method)) {
			AuthorizationManager<HttpServletRequest> rule = this.rules.get(method.getMethod());
			if (rule == null) {
				rule = this.rules.computeIfAbsent(method.getMethod(), RouteAccess::ruleOf);
			}
			rule.verify(() -> SecurityContextHolder.getContext().getAuthentication(), request);
		}
		return true;
	}

	/** First of all interceptors: rate limits and the audit gate count only requests the caller may make. */
	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).order(Ordered.HIGHEST_PRECEDENCE);
	}

	/** The broker's own handlers, except the error page: the servlet container's, open like it. */
	static boolean isApplications(HandlerMethod method) {
		return method.getBeanType().getName().startsWith(APPLICATION_PACKAGE)
				&& !ErrorController.class.isAssignableFrom(method.getBeanType());
	}

	static AuthorizationManager<HttpServletRequest> ruleOf(Method method) {
		List<AuthorizationManager<HttpServletRequest>> declared = new ArrayList<>();
		if (AnnotatedElementUtils.hasAnnotation(method, PublicRoute.class)) {
			declared.add(SingleResultAuthorizationManager.permitAll());
		}
		if (AnnotatedElementUtils.hasAnnotation(method, EndUserRoute.class)) {
			declared.add(AuthorityAuthorizationManager.hasAuthority(AppUserResolver.AUTHORITY));
		}
		RequiresScope scopes = AnnotatedElementUtils.findMergedAnnotation(method, RequiresScope.class);
		if (scopes != null) {
			declared.add(AuthorityAuthorizationManager
				.hasAnyAuthority(Arrays.stream(scopes.value()).map((s) -> "SCOPE_" + s).toArray(String[]::new)));
		}
		if (AnnotatedElementUtils.hasAnnotation(method, AnyServiceCaller.class)) {
			declared.add(AuthorizationManagers.allOf(AuthenticatedAuthorizationManager.authenticated(),
					AuthorizationManagers.not(AuthorityAuthorizationManager.hasAuthority(AppUserResolver.AUTHORITY))));
		}
		RequiresAuthority authorities = AnnotatedElementUtils.findMergedAnnotation(method, RequiresAuthority.class);
		if (authorities != null) {
			declared.add(AuthorityAuthorizationManager.hasAnyAuthority(authorities.value()));
		}
		return (declared.size() == 1) ? declared.get(0) : SingleResultAuthorizationManager.denyAll();
	}

}
