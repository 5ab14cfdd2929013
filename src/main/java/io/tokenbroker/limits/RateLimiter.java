package io.tokenbroker.limits;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Counts authenticated requests of each configured route group in two token buckets (Bucket4j): the caller's (app and
 * {@code sub}) and the app's, kept where {@link BucketStore} says (shared by all replicas on PostgreSQL). A request
 * either bucket cannot pay for is answered 429 {@code rate_limited} with {@code Retry-After}, and counted in
 * {@code broker.limits.rejected}. It runs after authentication, so anonymous floods are stopped by the 401 before they
 * cost anything.
 */
@Component
class RateLimiter implements HandlerInterceptor, WebMvcConfigurer {

	private final List<RouteGroup> groups;

	private final boolean enabled;

	private final MeterRegistry metrics;

	private final BucketStore buckets;

	RateLimiter(LimitsProperties properties, BucketStore buckets, MeterRegistry metrics) {
		this.buckets = buckets;
		this.enabled = properties.enabled();
		this.groups = properties.groups()
			.entrySet()
			.stream()
			.map((e) -> RouteGroup.of(e.getKey(), e.getValue()))
			.toList();
		this.metrics = metrics;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!this.enabled) {
			return true;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			return true;
		}
		PathContainer path = path(request);
		String app = appOf(authentication);
		for (RouteGroup group : this.groups) {
			if (group.matches(request.getMethod(), path)) {
				BucketKey caller = BucketKey.ofCaller(group.name(), app, authentication.getName());
				take(group, caller, group.perCaller(), null);
				take(group, BucketKey.ofApp(group.name(), app), group.perApp(), caller);
			}
		}
		return true;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).excludePathPatterns("/actuator/**", "/error");
	}

	@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
	void forgetIdleBuckets() {
		this.buckets.forgetIdle();
	}

	private void take(RouteGroup group, BucketKey key, LimitsProperties.Limit limit, BucketKey refundKey) {
		if (limit == null) {
			return;
		}
		if (this.buckets.tryConsume(key, limit)) {
			return;
		}
		if (refundKey != null && group.perCaller() != null) {
			// The caller's own bucket paid for a request the app's bucket refused.
			this.buckets.refund(refundKey, group.perCaller());
		}
		String scope = key.scope();
		this.metrics.counter("broker.limits.rejected", "group", group.name(), "scope", scope).increment();
		long waitMillis = Math.max(1, (this.buckets.nanosToWaitForRefill(key, limit) + 999_999) / 1_000_000);
		Duration retryAfter = Duration.ofSeconds((waitMillis + 999) / 1000);
		throw new BrokerException(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED,
				"Too many " + group.name() + " requests from this " + scope + ": at most " + limit.capacity()
						+ " per " + limit.period() + ". Retry after " + retryAfter.toSeconds() + " s.",
				Map.of("limit", scope, "group", group.name()), retryAfter);
	}

	/** The path Spring MVC parsed to choose the handler, so that a counted request does not parse it again. */
	private static PathContainer path(HttpServletRequest request) {
		if (ServletRequestPathUtils.hasParsedRequestPath(request)) {
			return ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
		}
		return PathContainer.parsePath(request.getRequestURI());
	}

	private static String appOf(Authentication authentication) {
		if (authentication.getPrincipal() instanceof Jwt jwt && jwt.getClaims().get("app_id") instanceof String app) {
			return app;
		}
		return "";
	}

}
