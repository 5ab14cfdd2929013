package io.tokenbroker.authflow;

/**
 * What the callback page tells the person in the browser. {@code returnUrl} is an allow-listed URL or null; the error
 * is the provider's OAuth error or the broker's reason, never a token.
 */
public record CallbackResult(Kind kind, String integrationType, String displayName, String accountEmail,
		String error, String errorDescription, String returnUrl, String connectorId) {

	public enum Kind {

		/** The account is connected. */
		CONNECTED,

		/** The provider or the token exchange refused. */
		FAILED,

		/** The link itself is bad: unknown, reused or expired state, or no code. */
		INVALID_LINK

	}

}
