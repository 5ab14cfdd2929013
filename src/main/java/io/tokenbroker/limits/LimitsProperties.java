package io.tokenbroker.limits;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits per route group ({@code broker.limits.groups.<name>.*}). A group names its routes as
 * {@code "METHOD /path/pattern"} ({@code *} for any method; path patterns as in Spring MVC) and has a limit per
 * caller (one service identity of one app) and per app. On PostgreSQL all replicas share one budget
 * ({@link LimitsSyncProperties}).
 * @param enabled whether rate limits apply at all
 * @param groups the route groups by name (built-in: {@code reads}, {@code proxy}, {@code authorizations})
 */
@ConfigurationProperties("broker.limits")
record LimitsProperties(@DefaultValue("true") boolean enabled, Map<String, Group> groups) {

	public LimitsProperties {
		groups = (groups != null) ? groups : Map.of();
	}

	/**
	 * @param routes the requests this group counts, e.g. {@code GET /connectors/*}{@code /connection}
	 * @param perCaller the limit of one caller (the token's {@code sub} within its app)
	 * @param perApp the limit of all callers of one app together
	 */
	public record Group(List<String> routes, Limit perCaller, Limit perApp) {

		public Group {
			routes = (routes != null) ? routes : List.of();
		}

	}

	/**
	 * {@code capacity} requests per {@code period}, refilled smoothly; a burst of up to {@code capacity} is allowed.
	 */
	public record Limit(long capacity, Duration period) {

		public Limit {
			if (capacity < 1 || period == null || period.isZero() || period.isNegative()) {
				throw new IllegalArgumentException("A rate limit needs a positive capacity and period");
			}
		}

	}

}
