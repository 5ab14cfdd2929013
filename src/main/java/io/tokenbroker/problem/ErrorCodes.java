package io.tokenbroker.problem;

/** The stable {@code code} values of the broker's problems. Clients branch on these; never rename one. */
public final class ErrorCodes {

	public static final String UNKNOWN_INTEGRATION = "unknown_integration";

	public static final String CONNECTOR_NOT_FOUND = "connector_not_found";

	public static final String NOT_CONNECTED = "not_connected";

	public static final String REAUTHORIZATION_REQUIRED = "reauthorization_required";

	public static final String PROVIDER_NOT_CONFIGURED = "provider_not_configured";

	public static final String PROVIDER_UNAVAILABLE = "provider_unavailable";

	public static final String INVALID_CONNECTION_CONFIG = "invalid_connection_config";

	public static final String INVALID_REQUEST = "invalid_request";

	public static final String INVALID_API_KEY = "invalid_api_key";

	public static final String PROVIDER_ERROR = "provider_error";

	public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

	public static final String PROVIDER_RESPONSE_TOO_LARGE = "provider_response_too_large";

	public static final String UNAUTHORIZED = "unauthorized";

	public static final String FORBIDDEN = "forbidden";

	public static final String NOT_FOUND = "not_found";

	public static final String METHOD_NOT_ALLOWED = "method_not_allowed";

	public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

	public static final String INTERNAL_ERROR = "internal_error";

	/** The audit trail cannot take the record of this request, so the request is refused (fail closed). */
	public static final String AUDIT_UNAVAILABLE = "audit_unavailable";

	/** A rate limit of {@code broker.limits.*} was reached; see {@code Retry-After}. */
	public static final String RATE_LIMITED = "rate_limited";

	/** The database cannot be reached right now. */
	public static final String SERVICE_UNAVAILABLE = "service_unavailable";

	/** Stripe has no key for the app; the broker does not provision Stripe accounts. */
	public static final String STRIPE_KEY_REQUIRED = "stripe_key_required";

	/** The Base44 CLI's device-code login: the broker has no interactive login. */
	public static final String DEVICE_LOGIN_NOT_SUPPORTED = "device_login_not_supported";

	private ErrorCodes() {
	}

}
