package io.tokenbroker.oauth;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Tells a failure before the request left (nothing reached the provider: the call can be repeated as if it never
 * happened) from one after (the provider may have carried the request out: a refresh token sent may be spent).
 * Anything that is not known to have happened while connecting counts as sent, because serving a token the provider
 * has already superseded is worse than making a reader wait for a retry.
 */
final class SentRequests {

	private SentRequests() {
	}

	static boolean mayHaveBeenSent(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof UnknownHostException
					|| cause instanceof NoRouteToHostException) {
				return false;
			}
			// The JDK's client says "Connect timed out" for a connect timeout and "Read timed out" for a read timeout.
			if (cause instanceof SocketTimeoutException && cause.getMessage() != null
					&& cause.getMessage().toLowerCase(Locale.ROOT).contains("connect")) {
				return false;
			}
		}
		return true;
	}

}
