package io.tokenbroker.limits;

import java.util.List;
import java.util.Locale;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** A named group of routes with its limits, matched on method and path. */
record RouteGroup(String name, List<Route> routes, LimitsProperties.Limit perCaller, LimitsProperties.Limit perApp) {

	record Route(String method, PathPattern path) {

		boolean matches(String requestMethod, PathContainer requestPath) {
			return ("*".equals(this.method) || this.method.equals(requestMethod)) && this.path.matches(requestPath);
		}

	}

	static RouteGroup of(String name, LimitsProperties.Group group) {
		List<Route> routes = group.routes().stream().map((spec) -> parse(name, spec)).toList();
		return new RouteGroup(name, routes, group.perCaller(), group.perApp());
	}

	boolean matches(String method, PathContainer path) {
		// A loop, not a stream: this runs for every group on every authenticated request.
		for (Route route : this.routes) {
			if (route.matches(method, path)) {
				return true;
			}
		}
		return false;
	}

	private static Route parse(String group, String spec) {
		String[] parts = spec.trim().split("\\s+");
		if (parts.length != 2 || !parts[1].startsWith("/")) {
			throw new IllegalStateException("broker.limits.groups." + group + ".routes: '" + spec
					+ "' is not 'METHOD /path' (METHOD may be *)");
		}
		return new Route(parts[0].toUpperCase(Locale.ROOT), PathPatternParser.defaultInstance.parse(parts[1]));
	}

}
