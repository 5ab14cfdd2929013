package io.tokenbroker.security;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Hands refusals raised while a request is dispatched (by {@link RouteAccess}) back to the filter chain, whose
 * exception translation answers them with the same problem 401 or 403 as a refusal in the filters; the application's
 * catch-all problem handler would answer them 500. Ordered before every other advice.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessRefusalsToFilterChain {

	@ExceptionHandler({ AccessDeniedException.class, AuthenticationException.class })
	void rethrow(RuntimeException refusal) {
		throw refusal;
	}

}
