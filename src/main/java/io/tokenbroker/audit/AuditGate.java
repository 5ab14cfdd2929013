package io.tokenbroker.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses changes (every method but GET, HEAD and OPTIONS) with 503 while the audit buffer is full, before they are
 * made: a change must not happen when its record would have to be refused afterwards. Token reads are guarded by
 * {@link AuditTrail#record} itself.
 */
@Component
class AuditGate implements HandlerInterceptor, WebMvcConfigurer {

	private final AuditTrail trail;

	AuditGate(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String method = request.getMethod();
		boolean safe = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
		if (!safe) {
			this.trail.requireAccepting();
		}
		return true;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).excludePathPatterns("/actuator/**", "/error");
	}

}
