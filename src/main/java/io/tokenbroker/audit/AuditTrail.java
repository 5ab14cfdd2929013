package io.tokenbroker.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one way to append to the audit trail: {@code record(AuditEvent)}. Recording never waits on the database (a
 * background writer batches the inserts), but it fails closed: when records cannot be written and the buffer is full,
 * {@link #record} throws a 503 problem, so a token is never served without its record.
 * <p>
 * Missing details are filled in from the current request: time, the caller's {@code sub}, request id, client address.
 */
@Component
public class AuditTrail {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final AuditWriter writer;

	private final AuditProperties properties;

	private final Clock clock;

	private final Counter refused;

	AuditTrail(AuditWriter writer, AuditProperties properties, Clock clock, MeterRegistry metrics) {
		this.writer = writer;
		this.properties = properties;
		this.clock = clock;
		this.refused = Counter.builder("broker.audit.refused")
			.description("Requests refused because the audit buffer was full")
			.register(metrics);
	}

	/**
	 * Appends {@code event} to the trail.
	 * @throws BrokerException 503 {@code audit_unavailable} when the record could not be buffered; the caller must not
	 * go on to serve what the record describes
	 */
	public void record(AuditEvent event) {
		if (!this.properties.enabled()) {
			return;
		}
		AuditEvent complete = event.completed(Instant.now(this.clock), currentActor(), RequestIds.current(),
				clientAddress());
		if (!this.writer.offer(complete, this.properties.enqueueTimeout())) {
			throw unavailable();
		}
	}

	/**
	 * Refuses work whose record could not be kept, before the work is done.
	 * @throws BrokerException 503 {@code audit_unavailable} while the buffer is full
	 */
	public void requireAccepting() {
		if (!accepting()) {
			throw unavailable();
		}
	}

	/** Whether a record made now would be accepted (the buffer has room). */
	public boolean accepting() {
		return !this.properties.enabled() || this.writer.hasRoom();
	}

	/** The authenticated caller's subject on this thread, or null. */
	public static String currentActor() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.isAuthenticated()) ? authentication.getName() : null;
	}

	BrokerException unavailable() {
		this.refused.increment();
		return new BrokerException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.AUDIT_UNAVAILABLE,
				"The broker cannot record this request in its audit trail right now, so it refuses to serve it. "
						+ "Retry later.",
				java.util.Map.of(), RETRY_AFTER);
	}

	private static String clientAddress() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			HttpServletRequest request = servlet.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

}
