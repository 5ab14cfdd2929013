package io.tokenbroker.console;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Extension point: the token refresher as the console shows it. The default ({@link ConnectionRefresherStatus})
 * derives recent failures from the connections' state and has no backlog until a background refresher reports one.
 */
public interface RefresherStatus {

	/** The deployment-wide backlog of due refreshes; empty when no background refresher reports one. */
	Optional<Backlog> backlog();

	/** The app's connections whose last refresh failed, most recent first. */
	List<Failure> recentFailures(String appId, int limit);

	/** @param oldestDue the due time of the connection waiting longest, null when none is due */
	record Backlog(long due, Instant oldestDue) {
	}

	/** @param permanent whether the grant is gone (re-authorization needed) rather than to be retried */
	record Failure(String integrationType, String appUserId, String reason, boolean permanent, Instant at) {
	}

}
