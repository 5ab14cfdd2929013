package io.tokenbroker.console;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Extension point: the audit trail as the console shows it, and the console's own actions recorded in it. The default
 * ({@link UnavailableConsoleAudit}) says the trail is not available and records nothing; an implementation over the
 * broker's audit trail replaces it.
 */
public interface ConsoleAudit {

	/** One app's events matching the filter, newest first; empty when this broker keeps no audit trail. */
	Optional<List<Entry>> events(String appId, Query query);

	/** Records an action taken in the console (connect, re-authorize, disconnect, restore). */
	void record(Action action);

	/** Filters; null means any. */
	record Query(String action, String outcome, String integrationType, int limit) {
	}

	/** One event, without tokens: who did what to which connector, with what outcome. */
	record Entry(Instant time, String actor, String action, String integrationType, String appUserId,
			String outcome, String reason) {
	}

	/** An action taken in the console by {@code operator}. */
	record Action(String appId, String operator, String action, String integrationType, String connectorId,
			boolean success, String reason) {
	}

}
