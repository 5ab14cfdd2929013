package io.tokenbroker.connection;

import java.time.Duration;

import io.tokenbroker.oauth.ProviderException;

/**
 * What a scheduled refresh of one connection came to.
 * @param result what happened
 * @param retryAfter the provider's Retry-After when it sent one, else null
 */
public record RefreshOutcome(Result result, Duration retryAfter) {

	public enum Result {

		/** New tokens are stored. */
		REFRESHED,

		/** Nothing to do any more: someone else refreshed it, or it changed, or it was deleted. */
		NOT_DUE,

		/** Another replica holds the connection right now; it will be picked up again when due. */
		BUSY,

		/** The grant is gone (rejected, revoked, or expired without a refresh token); the connection is expired. */
		EXPIRED,

		/** A transient or configuration failure; the connection retries after a backoff. */
		FAILED,

		/** The provider asked to slow down (429, or Retry-After); the connection retries after a backoff. */
		RATE_LIMITED

	}

	static RefreshOutcome of(Result result) {
		return new RefreshOutcome(result, null);
	}

	/** The outcome of a refresh the provider failed or refused (already recorded on the connection). */
	static RefreshOutcome of(ProviderException ex) {
		if (ex.kind() == ProviderException.Kind.GRANT_INVALID) {
			return of(Result.EXPIRED);
		}
		return new RefreshOutcome(RefreshRecorder.isRateLimited(ex) ? Result.RATE_LIMITED : Result.FAILED,
				ex.retryAfter());
	}

}
