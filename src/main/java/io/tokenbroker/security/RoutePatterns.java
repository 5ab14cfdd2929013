package io.tokenbroker.security;

/**
 * What a route's path pattern says about the paths it can match, for the lookups that skip routes by a path's first
 * segment (the security chains' route matchers and Spring MVC's handler mapping).
 */
public final class RoutePatterns {

	private RoutePatterns() {
	}

	/**
	 * The pattern's literal first segment, or null when it may begin with anything: a variable, a wildcard, a
	 * character that would be decoded or stripped first, or no leading segment at all.
	 */
	public static String literalFirstSegment(String pattern) {
		if (!pattern.startsWith("/")) {
			return null;
		}
		int end = pattern.indexOf('/', 1);
		String segment = (end < 0) ? pattern.substring(1) : pattern.substring(1, end);
		boolean literal = !segment.isEmpty() && segment.chars().noneMatch((c) -> "{}*?\\%;".indexOf(c) >= 0);
		return literal ? segment : null;
	}

}
