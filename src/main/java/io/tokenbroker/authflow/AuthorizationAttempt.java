package io.tokenbroker.authflow;

import java.time.Instant;
import java.util.List;

/**
 * One authorization attempt as stored (the state's hash, never the state). {@code startedBy} is the subject of the
 * service token that started it, for the audit trail.
 */
record AuthorizationAttempt(String id, String appId, String connectorId, String appUserId, List<String> scopes,
		String codeVerifierCipher, String returnUrl, Outcome outcome, String error, Instant expiresAt,
		Instant consumedAt, String startedBy, String browserBindingHash, Instant openedAt, String appUserLabel) {

	/** Whether the attempt was started by an end user, in a browser that must confirm it on the connect page. */
	boolean endUser() {
		return !this.appUserId.isEmpty();
	}

	enum Outcome {

		PENDING, ACTIVE, FAILED

	}

	@Override
	public String toString() {
		return "AuthorizationAttempt[" + this.id + ", " + this.outcome + "]";
	}

}
