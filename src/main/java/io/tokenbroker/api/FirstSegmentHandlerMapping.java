package io.tokenbroker.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;

import io.tokenbroker.security.RoutePatterns;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's handler mapping, which for a path with variables ({@code /connectors/github/connection}) tries every
 * route of the broker in turn, each through its method, header, content-type and path conditions. Here a route whose
 * patterns all begin with a literal segment is skipped, before any of its conditions, when the request's path begins
 * with another one: such a route cannot match. Everything else is Spring MVC's: which route wins, 404, 405 and 415, the
 * attributes set for the chosen route. A path whose first segment Spring MVC would decode first (a {@code %} or
 * {@code ;} in it) is looked up without skipping.
 */
class FirstSegmentHandlerMapping extends RequestMappingHandlerMapping {

	/** A route's literal first segments; {@link #ANY} when one of its patterns may begin with anything. */
	private final Map<RequestMappingInfo, String[]> firstSegments = new ConcurrentHashMap<>();

	private static final String[] ANY = new String[0];

	/** The first segment of the path being looked up on this thread, or null to skip nothing. */
	private final ThreadLocal<String> lookedUp = new ThreadLocal<>();

	@Override
	protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
		String previous = this.lookedUp.get();
		// A pattern parser that ignores case would match literals this comparison would not.
		boolean exact = getPatternParser() != null && getPatternParser().isCaseSensitive();
		this.lookedUp.set(exact ? firstSegment(lookupPath) : null);
		try {
			return super.lookupHandlerMethod(lookupPath, request);
		}
		finally {
			if (previous == null) {
				this.lookedUp.remove();
			}
			else {
				this.lookedUp.set(previous);
			}
		}
	}

	@Override
	protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
		String segment = this.lookedUp.get();
		if (segment != null && cannotMatch(info, segment)) {
			return null;
		}
		return super.getMatchingMapping(info, request);
	}

	private boolean cannotMatch(RequestMappingInfo info, String segment) {
		String[] literals = this.firstSegments.get(info);
		if (literals == null) {
			literals = this.firstSegments.computeIfAbsent(info, FirstSegmentHandlerMapping::literalFirstSegments);
		}
		if (literals == ANY) {
			return false;
		}
		for (String literal : literals) {
			if (literal.equals(segment)) {
				return false;
			}
		}
		return true;
	}

	/** The first segment of a lookup path as Spring MVC compares it, or null when it might be decoded differently. */
	static String firstSegment(String lookupPath) {
		if (lookupPath == null || !lookupPath.startsWith("/")) {
			return null;
		}
		int end = lookupPath.indexOf('/', 1);
		String segment = (end < 0) ? lookupPath.substring(1) : lookupPath.substring(1, end);
		return (segment.isEmpty() || segment.indexOf('%') >= 0 || segment.indexOf(';') >= 0) ? null : segment;
	}

	/**
	 * The literal first segment of each of the route's patterns, or {@link #ANY} when a pattern begins with a
	 * variable, a wildcard or nothing at all, or when the route has no path patterns or is matched ignoring case.
	 */
	static String[] literalFirstSegments(RequestMappingInfo info) {
		PathPatternsRequestCondition paths = info.getPathPatternsCondition();
		if (paths == null || paths.getPatterns().isEmpty()) {
			return ANY;
		}
		String[] literals = new String[paths.getPatterns().size()];
		int i = 0;
		for (PathPattern pattern : paths.getPatterns()) {
			String literal = RoutePatterns.literalFirstSegment(pattern.getPatternString());
			if (literal == null) {
				return ANY;
			}
			literals[i++] = literal;
		}
		return literals;
	}

}
