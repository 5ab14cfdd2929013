package io.tokenbroker.oauth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The circuit breaker in front of each provider's token endpoint ({@link ProviderCircuitBreakers}).
 * @param enabled whether refreshes go through it at all
 * @param failureRateThreshold percentage of failed calls (timeouts, connection failures, 5xx and 429 answers) among
 * the last {@code slidingWindowSize} at which the breaker opens
 * @param slidingWindowSize how many of a provider's latest calls the failure rate is taken over
 * @param minimumNumberOfCalls calls needed before the failure rate counts, so a single failure never opens it
 * @param waitInOpenState how long the breaker stays open: refreshes of the provider are refused at once meanwhile
 * @param permittedCallsInHalfOpenState calls let through after that to find out whether the provider is back
 */
@ConfigurationProperties("broker.oauth.circuit-breaker")
public record ProviderCircuitBreakerProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("50") float failureRateThreshold, @DefaultValue("20") int slidingWindowSize,
		@DefaultValue("5") int minimumNumberOfCalls, @DefaultValue("30s") Duration waitInOpenState,
		@DefaultValue("3") int permittedCallsInHalfOpenState) {

	public ProviderCircuitBreakerProperties {
		if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
			throw new IllegalArgumentException(
					"broker.oauth.circuit-breaker.failure-rate-threshold must be above 0 and at most 100");
		}
		if (slidingWindowSize < 1 || minimumNumberOfCalls < 1 || permittedCallsInHalfOpenState < 1) {
			throw new IllegalArgumentException("broker.oauth.circuit-breaker call counts must be at least 1");
		}
		if (waitInOpenState.isNegative() || waitInOpenState.isZero()) {
			throw new IllegalArgumentException("broker.oauth.circuit-breaker.wait-in-open-state must be positive");
		}
	}

}
