package io.tokenbroker.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.tokenbroker.catalog.ConfigField;
import io.tokenbroker.connection.ConnectionStatus;

/** What the console's templates show: plain values, already worded and formatted, never a token. */
final class ConsoleViews {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private ConsoleViews() {
	}

	/** A status as a word and a symbol; {@code key} only picks the colour, which repeats what the word says. */
	record Badge(String key, String symbol, String label) {

		static Badge of(ConnectionStatus status) {
			return switch (status) {
				case ACTIVE -> new Badge("active", "✓", "Active");
				case EXPIRED -> new Badge("expired", "!", "Needs re-authorization");
				case DISCONNECTED -> new Badge("disconnected", "‖", "Disconnected");
				case PENDING -> new Badge("pending", "…", "Waiting for authorization");
			};
		}

	}

	/** One of the app's connectors and its app-wide connection. */
	record ConnectorCard(String type, String name, String connectorId, Badge badge, String statusDetail,
			String account, List<String> requestedScopes, List<String> grantedScopes, List<String> missingScopes,
			String authorizedAt, String expires, String lastRefresh, String endUsers, Long version,
			boolean oauth, boolean canDisconnect, boolean canRestore, String restoreUntil) {
	}

	/** A configured integration the app has no connector for yet. */
	record CatalogCard(String type, String name, String description, boolean oauth, List<ConfigField> fields) {
	}

	/** A known integration without client credentials on this broker. */
	record Unconfigured(String type, String name) {
	}

	record Failure(String integration, String user, String reason, String kind, String at) {
	}

	record AuditRow(String time, String actor, String action, String integration, String user, String outcome,
			String reason) {
	}

	static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : null;
	}

	/** An expiry with its meaning: expired ones say so in words. */
	static String expiry(Instant expiresAt, Instant now) {
		if (expiresAt == null) {
			return "Does not expire";
		}
		return time(expiresAt) + (expiresAt.isAfter(now) ? "" : " (expired)");
	}

}
