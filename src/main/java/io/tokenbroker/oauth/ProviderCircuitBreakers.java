package io.tokenbroker.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * A circuit breaker per provider (the catalog's type, which names one token endpoint), so that a provider that hangs
 * or fails costs one read timeout per few calls instead of one per read: once enough of its recent calls failed, its
 * refreshes are refused at once ({@code provider_unavailable}, with the time left) until a few trial calls find it
 * back. Failures are what says the provider is in trouble (timeouts, connection failures, 5xx and 429 answers);
 * {@code invalid_grant} and other refusals are answers, and count as successes. State, metrics
 * ({@code resilience4j_circuitbreaker_*}, tagged with the provider as {@code name}) and transitions are
 * Resilience4j's; this class only remembers when each breaker opened, to tell callers how long it stays open.
 */
@Component
public class ProviderCircuitBreakers {

	private static final Logger log = LoggerFactory.getLogger(ProviderCircuitBreakers.class);

	/** The shortest Retry-After given while a breaker lets only its trial calls through. */
	private static final Duration HALF_OPEN_RETRY = Duration.ofSeconds(1);

	private final ProviderCircuitBreakerProperties properties;

	private final CircuitBreakerRegistry registry;

	private final Map<String, Instant> openUntil = new ConcurrentHashMap<>();

	/** Resilience4j times its breakers by the system clock, so the time left is told by it too. */
	private final Clock clock = Clock.systemUTC();

	public ProviderCircuitBreakers(ProviderCircuitBreakerProperties properties, MeterRegistry metrics) {
		this.properties = properties;
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.failureRateThreshold(properties.failureRateThreshold())
			.slidingWindowSize(properties.slidingWindowSize())
			.minimumNumberOfCalls(properties.minimumNumberOfCalls())
			.waitDurationInOpenState(properties.waitInOpenState())
			.permittedNumberOfCallsInHalfOpenState(properties.permittedCallsInHalfOpenState())
			// Half-open without waiting for a call: the scheduler, which skips open providers, would never make one.
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.recordException(ProviderCircuitBreakers::isProviderFailure)
			.writableStackTraceEnabled(false)
			.build();
		this.registry = CircuitBreakerRegistry.of(config);
		this.registry.getEventPublisher().onEntryAdded((added) -> watch(added.getAddedEntry()));
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(this.registry).bindTo(metrics);
	}

	/**
	 * Takes a permission to call {@code provider}'s token endpoint; each must end in {@link #callPermitted} or
	 * {@link #release}.
	 * @throws ProviderException {@code provider_unavailable} with the time left, when the breaker is open
	 */
	public void acquire(String provider) {
		if (this.properties.enabled() && !breaker(provider).tryAcquirePermission()) {
			throw ProviderException.unavailable(remainingOpen(provider));
		}
	}

	/** Gives back a permission that was not used for a call. */
	public void release(String provider) {
		if (this.properties.enabled()) {
			breaker(provider).releasePermission();
		}
	}

	/** Makes a call with a permission taken by {@link #acquire}, and records how it went. */
	public <T> T callPermitted(String provider, Supplier<T> call) {
		if (!this.properties.enabled()) {
			return call.get();
		}
		CircuitBreaker breaker = breaker(provider);
		long start = System.nanoTime();
		try {
			T result = call.get();
			breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			return result;
		}
		catch (RuntimeException ex) {
			breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
			throw ex;
		}
	}

	/** {@link #acquire} and {@link #callPermitted} in one. */
	public <T> T call(String provider, Supplier<T> call) {
		acquire(provider);
		return callPermitted(provider, call);
	}

	/** The providers whose breaker is open now: the scheduler leaves their due connections for later. */
	public Set<String> open() {
		return this.registry.getAllCircuitBreakers()
			.stream()
			.filter((breaker) -> breaker.getState() == CircuitBreaker.State.OPEN
					|| breaker.getState() == CircuitBreaker.State.FORCED_OPEN)
			.map(CircuitBreaker::getName)
			.collect(Collectors.toSet());
	}

	private CircuitBreaker breaker(String provider) {
		return this.registry.circuitBreaker(provider);
	}

	private Duration remainingOpen(String provider) {
		Instant until = this.openUntil.get(provider);
		Duration left = (until != null) ? Duration.between(Instant.now(this.clock), until) : null;
		return (left != null && left.compareTo(HALF_OPEN_RETRY) > 0) ? left : HALF_OPEN_RETRY;
	}

	private void watch(CircuitBreaker breaker) {
		breaker.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.State to = event.getStateTransition().getToState();
			if (to == CircuitBreaker.State.OPEN) {
				this.openUntil.put(breaker.getName(),
						event.getCreationTime().toInstant().plus(this.properties.waitInOpenState()));
				log.warn("Token endpoint of {} is failing; its refreshes are refused for {}", breaker.getName(),
						this.properties.waitInOpenState());
			}
			else {
				this.openUntil.remove(breaker.getName());
				log.info("Token endpoint of {}: circuit breaker {}", breaker.getName(), to);
			}
		});
	}

	/** Failures that say the provider is in trouble; any answer about the grant or the request says it is up. */
	private static boolean isProviderFailure(Throwable ex) {
		return ex instanceof ProviderException provider && provider.kind() == ProviderException.Kind.TRANSIENT;
	}

}
