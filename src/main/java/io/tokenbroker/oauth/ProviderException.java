package io.tokenbroker.oauth;

import java.time.Duration;

/**
 * A provider refused or failed a token request. {@link Kind} tells the caller what to do about it. The error and
 * description come from the provider's OAuth error response, truncated and stripped of anything token-like.
 */
public class ProviderException extends RuntimeException {

	public enum Kind {

		/** The grant is dead ({@code invalid_grant}, revoked): only a new authorization helps. */
		GRANT_INVALID,

		/** Worth retrying later: 5xx, 429, timeouts, network failures. */
		TRANSIENT,

		/** The provider rejected the request for another reason (client misconfiguration, bad scope, ...). */
		REJECTED

	}

	private final Kind kind;

	private final String error;

	private final Duration retryAfter;

	private final boolean unanswered;

	public ProviderException(Kind kind, String error, String description, Duration retryAfter) {
		this(kind, error, description, retryAfter, false);
	}

	private ProviderException(Kind kind, String error, String description, Duration retryAfter, boolean unanswered) {
		super(describe(error, description), null, false, false);
		this.kind = kind;
		this.error = error;
		this.retryAfter = retryAfter;
		this.unanswered = unanswered;
	}

	/**
	 * The request was sent (or may have been) and no answer came: the read timed out or the connection dropped. The
	 * provider may have carried it out, so a refresh token sent with it may be spent and the access token superseded.
	 */
	public static ProviderException unanswered() {
		return new ProviderException(Kind.TRANSIENT, "no_answer", "The provider did not answer", null, true);
	}

	/**
	 * The provider's token endpoint has been failing and calls to it are refused for now: nothing was sent.
	 * @param retryAfter how long until calls are let through again
	 */
	public static ProviderException unavailable(Duration retryAfter) {
		return new ProviderException(Kind.TRANSIENT, "provider_unavailable",
				"The provider's token endpoint is failing; calls to it are paused", retryAfter, false);
	}

	/**
	 * Whether the request may have reached the provider without its answer reaching us; false when it certainly was
	 * not sent (connection refused, unknown host, connect timeout) or the provider answered.
	 */
	public boolean isUnanswered() {
		return this.unanswered;
	}

	public Kind kind() {
		return this.kind;
	}

	/** The OAuth error code ({@code invalid_grant}, ...) or a broker-side label such as {@code http_503}. */
	public String error() {
		return this.error;
	}

	/** The provider's {@code Retry-After}, or null. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	private static String describe(String error, String description) {
		return (description == null || description.isBlank()) ? error : error + ": " + description;
	}

}
