package io.tokenbroker.authflow;

/**
 * What the callback page tells the person in the browser. {@code returnUrl} is an allow-listed URL or null; the error
 * is the provider's OAuth error or the broker's reason, never a token. An end user's outcome with a return URL goes
 * straight back to the app; the others are explained on the broker's page.
 */
record CallbackResult(Kind kind, String integrationType, String displayName, String accountEmail,
		String error, String errorDescription, String returnUrl, String connectorId, String attemptId,
		boolean endUser) {

	/** The same result for an attempt: its id (for the browser's binding cookie) and whether an end user started it. */
	CallbackResult of(AuthorizationAttempt attempt) {
		return new CallbackResult(this.kind, this.integrationType, this.displayName, this.accountEmail, this.error,
				this.errorDescription, this.returnUrl, this.connectorId, attempt.id(), attempt.endUser());
	}

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
