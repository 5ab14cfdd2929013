package io.tokenbroker.security;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * Matches the routes whose handler methods carry an annotation ({@link PublicRoute}, {@link EndUserRoute}), so that a
 * filter chain takes exactly the routes that declare its credential kind. Read from the handler mappings on first use
 * (they are built after the filter chains); a route that is not registered (a feature switched off) is not matched.
 */
final class AnnotatedRoutes implements RequestMatcher {

	/** Stands for patterns that may begin with anything; never a literal segment (those are never empty). */
	private static final String ANY_SEGMENT = "";

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
		Map<String, List<RequestMatcher>> byFirstSegment = new HashMap<>();
		this.mappings.orderedStream().forEach((mapping) -> mapping.getHandlerMethods().forEach((info, handler) -> {
			if (AnnotatedElementUtils.hasAnnotation(handler.getMethod(), this.annotation)) {
				add(byFirstSegment, info);
			}
		}));
		if (byFirstSegment.isEmpty()) {
			return (request) -> false;
		}
		Map<String, RequestMatcher> routes = new HashMap<>();
		List<RequestMatcher> any = byFirstSegment.getOrDefault(ANY_SEGMENT, List.of());
		byFirstSegment.forEach((segment, matchers) -> {
			List<RequestMatcher> candidates = new ArrayList<>(matchers);
			if (!segment.equals(ANY_SEGMENT)) {
				candidates.addAll(any);
			}
			routes.put(segment, new OrRequestMatcher(candidates));
		});
		return new FirstSegmentMatcher(routes);
	}

	/** Each pattern with each method; HEAD goes where GET goes, as in Spring MVC. No method: any method. */
	private static void add(Map<String, List<RequestMatcher>> byFirstSegment, RequestMappingInfo info) {
		Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
		for (String pattern : info.getPatternValues()) {
			List<RequestMatcher> matchers = byFirstSegment.computeIfAbsent(literalFirstSegment(pattern),
					(segment) -> new ArrayList<>());
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

	/** A pattern's literal first segment, or {@link #ANY_SEGMENT} when it may begin with anything. */
	private static String literalFirstSegment(String pattern) {
		String literal = RoutePatterns.literalFirstSegment(pattern);
		return (literal != null) ? literal : ANY_SEGMENT;
	}

	/**
	 * Tries only the routes whose patterns begin with the request path's first segment (and those that may begin
	 * with anything): the chains are tried in order for every request, and a token read would otherwise be compared
	 * with every public and end-user route. The segment is compared as the patterns compare it (decoded, without
	 * path parameters, case-sensitive).
	 */
	private record FirstSegmentMatcher(Map<String, RequestMatcher> routes) implements RequestMatcher {

		@Override
		public boolean matches(HttpServletRequest request) {
			RequestMatcher candidates = this.routes.get(firstSegment(request));
			if (candidates == null) {
				candidates = this.routes.get(ANY_SEGMENT);
			}
			return candidates != null && candidates.matches(request);
		}

		private static String firstSegment(HttpServletRequest request) {
			RequestPath path = ServletRequestPathUtils.hasParsedRequestPath(request)
					? ServletRequestPathUtils.getParsedRequestPath(request) : ServletRequestPathUtils.parse(request);
			List<PathContainer.Element> elements = path.pathWithinApplication().elements();
			return (elements.size() > 1 && elements.get(1) instanceof PathContainer.PathSegment segment)
					? segment.valueToMatch() : ANY_SEGMENT;
		}

	}

	@Override
	public String toString() {
		return "routes annotated @" + this.annotation.getSimpleName();
	}

}
