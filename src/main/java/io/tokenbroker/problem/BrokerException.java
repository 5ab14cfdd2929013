package io.tokenbroker.problem;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure the caller can understand: rendered as an RFC 9457 problem with a stable {@code code}. The detail must
 * never carry a token or secret.
 */
public class BrokerException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final Map<String, Object> properties;

	private final Duration retryAfter;

	public BrokerException(HttpStatus status, String code, String detail) {
		this(status, code, detail, Map.of(), null);
	}

	public BrokerException(HttpStatus status, String code, String detail, Map<String, Object> properties,
			Duration retryAfter) {
		super(detail, null, false, false);
		this.status = status;
		this.code = code;
		this.properties = Map.copyOf(properties);
		this.retryAfter = retryAfter;
	}

	public static BrokerException badRequest(String detail) {
		return new BrokerException(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, detail);
	}

	public static BrokerException notFound(String code, String detail) {
		return new BrokerException(HttpStatus.NOT_FOUND, code, detail);
	}

	public static BrokerException conflict(String code, String detail) {
		return new BrokerException(HttpStatus.CONFLICT, code, detail);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public Map<String, Object> properties() {
		return this.properties;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
