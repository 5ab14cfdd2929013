package io.tokenbroker.connection;

import java.time.Duration;
import java.util.Map;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.http.HttpStatus;

/** The problems a token read answers when it cannot serve a token, each telling the caller what to do next. */
final class ConnectionProblems {

	private ConnectionProblems() {
	}

	static BrokerException unavailable(String type, Duration retryAfter) {
		return new BrokerException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.PROVIDER_UNAVAILABLE,
				"The access token expired and " + type + " could not refresh it right now. Retry later.",
				Map.of(), retryAfter);
	}

	/** A refresh of the token is in flight, and the provider may have revoked the stored token already. */
	static BrokerException refreshInProgress(String type, Duration retryAfter) {
		return new BrokerException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.PROVIDER_UNAVAILABLE,
				"A refresh of the access token with " + type + " is still in progress. Retry later.", Map.of(),
				retryAfter);
	}

	static BrokerException notConnected(String type) {
		return BrokerException.conflict(ErrorCodes.NOT_CONNECTED, "The connector for '" + type
				+ "' has no authorized account yet. Complete the OAuth flow (POST /connectors/" + type
				+ "/authorize) first.");
	}

	static BrokerException userNotConnected(String type, String connectorId) {
		return BrokerException.conflict(ErrorCodes.NOT_CONNECTED, "This end user has not connected a " + type
				+ " account yet. The user connects with POST /app-user-connectors/" + connectorId + "/connect.");
	}

	static BrokerException userReauthorize(String type, String connectorId, String reason) {
		String why = (reason != null) ? " Reason: " + reason : "";
		String hint = "POST /app-user-connectors/" + connectorId + "/connect";
		return new BrokerException(HttpStatus.CONFLICT, ErrorCodes.REAUTHORIZATION_REQUIRED,
				"This end user's " + type + " grant is no longer valid; the user must connect again (" + hint + ")."
						+ why,
				Map.of("hint", hint), null);
	}

	static BrokerException reauthorize(String type, String reason) {
		String why = (reason != null) ? " Reason: " + reason : "";
		return new BrokerException(HttpStatus.CONFLICT, ErrorCodes.REAUTHORIZATION_REQUIRED,
				"The " + type + " grant is no longer valid; re-authorize with POST /connectors/" + type
						+ "/authorize." + why,
				Map.of("hint", "POST /connectors/" + type + "/authorize"), null);
	}

}
