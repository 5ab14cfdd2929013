package io.tokenbroker.limits;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
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

/**
 * Counts authenticated requests of each configured route group in two token buckets (Bucket4j): the caller's (app and
 * {@code sub}) and the app's. A request either bucket cannot pay for is answered 429 {@code rate_limited} with
 * {@code Retry-After}, and counted in {@code broker.limits.rejected}. It runs after authentication, so anonymous
 * floods are stopped by the 401 before they cost anything.
 */
@Component
class RateLimiter implements HandlerInterceptor, WebMvcConfigurer {

	private final List<RouteGroup> groups;

	private final boolean enabled;

	private final MeterRegistry metrics;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	RateLimiter(LimitsProperties properties, MeterRegistry metrics) {
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
		PathContainer path = PathContainer.parsePath(request.getRequestURI());
		String app = appOf(authentication);
		String caller = app + "\u0000" + authentication.getName();
		for (RouteGroup group : this.groups) {
			if (group.matches(request.getMethod(), path)) {
				take(group, "caller", caller, group.perCaller(), null);
				take(group, "app", app, group.perApp(), (group.perCaller() != null) ? caller : null);
			}
		}
		return true;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).excludePathPatterns("/actuator/**", "/error");
	}

	/** Forgets buckets that are full again: a fresh bucket behaves the same, so memory follows active callers only. */
	@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
	void forgetIdleBuckets() {
		this.buckets.entrySet().removeIf((e) -> e.getValue().getAvailableTokens() >= capacityOf(e.getKey()));
	}

	private void take(RouteGroup group, String scope, String key, LimitsProperties.Limit limit, String refundKey) {
		if (limit == null) {
			return;
		}
		String bucketKey = group.name() + "\u0000" + scope + "\u0000" + key;
		Bucket bucket = this.buckets.computeIfAbsent(bucketKey, (k) -> newBucket(limit));
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return;
		}
		if (refundKey != null) {
			// The caller's own bucket paid for a request the app's bucket refused.
			Bucket callerBucket = this.buckets.get(group.name() + "\u0000caller\u0000" + refundKey);
			if (callerBucket != null) {
				callerBucket.addTokens(1);
			}
		}
		this.metrics.counter("broker.limits.rejected", "group", group.name(), "scope", scope).increment();
		long waitMillis = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999) / 1_000_000);
		Duration retryAfter = Duration.ofSeconds((waitMillis + 999) / 1000);
		throw new BrokerException(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED,
				"Too many " + group.name() + " requests from this " + scope + ": at most " + limit.capacity()
						+ " per " + limit.period() + ". Retry after " + retryAfter.toSeconds() + " s.",
				Map.of("limit", scope, "group", group.name()), retryAfter);
	}

	private long capacityOf(String bucketKey) {
		String[] parts = bucketKey.split("\u0000", 3);
		return this.groups.stream()
			.filter((g) -> g.name().equals(parts[0]))
			.findFirst()
			.map((g) -> "caller".equals(parts[1]) ? g.perCaller() : g.perApp())
			.map(LimitsProperties.Limit::capacity)
			.orElse(0L);
	}

	private static Bucket newBucket(LimitsProperties.Limit limit) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
			.build();
	}

	private static String appOf(Authentication authentication) {
		if (authentication.getPrincipal() instanceof Jwt jwt && jwt.getClaims().get("app_id") instanceof String app) {
			return app;
		}
		return "";
	}

}
