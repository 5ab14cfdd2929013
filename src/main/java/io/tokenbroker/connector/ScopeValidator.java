package io.tokenbroker.connector;

import java.util.List;

import io.tokenbroker.problem.BrokerException;

/** Checks the scopes a connector asks for: how many, how long, no control characters; strips and deduplicates. */
final class ScopeValidator {

	private static final int MAX_SCOPES = 100;

	private static final int MAX_SCOPE_LENGTH = 512;

	private ScopeValidator() {
	}

	static List<String> validate(List<String> scopes) {
		if (scopes.size() > MAX_SCOPES) {
			throw BrokerException.badRequest("At most " + MAX_SCOPES + " scopes may be requested.");
		}
		for (String scope : scopes) {
			if (scope == null || scope.isBlank() || scope.length() > MAX_SCOPE_LENGTH
					|| scope.chars().anyMatch(Character::isISOControl)) {
				throw BrokerException.badRequest(
						"Each scope must be a non-blank string of at most " + MAX_SCOPE_LENGTH
								+ " characters without control characters.");
			}
		}
		return scopes.stream().map(String::strip).distinct().toList();
	}

}
