package io.tokenbroker.security;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * Matches the routes whose handler methods carry an annotation ({@link PublicRoute}, {@link EndUserRoute}), so that a
 * filter chain takes exactly the routes that declare its credential kind. Read from the handler mappings on first use
 * (they are built after the filter chains); a route that is not registered (a feature switched off) is not matched.
 */
final class AnnotatedRoutes implements RequestMatcher {

	private final ObjectProvider<RequestMappingHandlerMapping> mappings;

	private final Class<? extends Annotation> annotation;

	private volatile RequestMatcher routes;

	AnnotatedRoutes(ObjectProvider<RequestMappingHandlerMapping> mappings, Class<? extends Annotation> annotation) {
		this.mappings = mappings;
		this.annotation = annotation;
	}

	@Override
	public boolean matches(HttpServletRequest request) {
		RequestMatcher matcher = this.routes;
		if (matcher == null) {
			matcher = read();
			this.routes = matcher;
		}
		return matcher.matches(request);
	}

	private RequestMatcher read() {
		List<RequestMatcher> matchers = new ArrayList<>();
		this.mappings.orderedStream().forEach((mapping) -> mapping.getHandlerMethods().forEach((info, handler) -> {
			if (AnnotatedElementUtils.hasAnnotation(handler.getMethod(), this.annotation)) {
				add(matchers, info);
			}
		}));
		return matchers.isEmpty() ? (request) -> false : new OrRequestMatcher(matchers);
	}

	/** Each pattern with each method; HEAD goes where GET goes, as in Spring MVC. No method: any method. */
	private static void add(List<RequestMatcher> matchers, RequestMappingInfo info) {
		Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
		for (String pattern : info.getPatternValues()) {
			if (methods.isEmpty()) {
				matchers.add(pathPattern(pattern));
			}
			for (RequestMethod method : methods) {
				matchers.add(pathPattern(method.asHttpMethod(), pattern));
				if (method == RequestMethod.GET && !methods.contains(RequestMethod.HEAD)) {
					matchers.add(pathPattern(HttpMethod.HEAD, pattern));
				}
			}
		}
	}

	@Override
	public String toString() {
		return "routes annotated @" + this.annotation.getSimpleName();
	}

}
