package io.tokenbroker.authflow;

/**
 * What the callback page tells the person in the browser. {@code returnUrl} is an allow-listed URL or null; the error
 * is the provider's OAuth error or the broker's reason, never a token.
 */
record CallbackResult(Kind kind, String integrationType, String displayName, String accountEmail,
		String error, String errorDescription, String returnUrl, String connectorId) {

	public enum Kind {

		/** The account is connected. */
		CONNECTED,

		/** The provider or the token exchange refused. */
		FAILED,

		/** The link expired before the person came back: start again. */
		EXPIRED_LINK,

		/** The link itself is bad: unknown or reused state, or no code. */
		INVALID_LINK;

		/** Whether the link, not the provider, is at fault (a 400 for the browser, a problem for an API client). */
		public boolean badLink() {
			return this == EXPIRED_LINK || this == INVALID_LINK;
		}

	}

}
