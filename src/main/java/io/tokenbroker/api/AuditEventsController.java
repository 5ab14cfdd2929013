package io.tokenbroker.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditEvents;
import io.tokenbroker.audit.AuditQuery;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /audit-events}: the caller's app's audit trail, newest first. Filters: {@code from} and {@code to}
 * (ISO-8601 instants, {@code to} exclusive), {@code action}, {@code connectorId}, {@code actor}, {@code appUserId},
 * {@code outcome}; paging with {@code limit} and the {@code cursor} of the previous page's {@code nextCursor}.
 */
@RestController
class AuditEventsController {

	private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

	private static final Pattern CONNECTOR_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

	private static final Pattern CURSOR = Pattern.compile("[0-9]{1,18}");

	private final AuditEvents events;

	AuditEventsController(AuditEvents events) {
		this.events = events;
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/audit-events")
	AuditEvents.Page list(ServiceCaller caller, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) String action,
			@RequestParam(required = false) String connectorId, @RequestParam(required = false) String actor,
			@RequestParam(required = false) String appUserId, @RequestParam(required = false) String outcome,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) String limit) {
		AuditQuery query = new AuditQuery(caller.appId(), instant("from", from), instant("to", to),
				matching("action", action, ACTION), matching("connectorId", connectorId, CONNECTOR_ID),
				text("actor", actor), text("appUserId", appUserId), outcome(outcome), cursor(cursor));
		return this.events.find(query, limit(limit));
	}

	private static Instant instant(String name, String value) {
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw BrokerException.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
		}
	}

	private static String matching(String name, String value, Pattern pattern) {
		if (value != null && !pattern.matcher(value).matches()) {
			throw BrokerException.badRequest("'" + name + "' has an invalid value.");
		}
		return value;
	}

	private static String text(String name, String value) {
		if (value != null && (value.isEmpty() || value.length() > 255 || value.chars().anyMatch(Character::isISOControl))) {
			throw BrokerException.badRequest("'" + name + "' must be 1 to 255 characters without control characters.");
		}
		return value;
	}

	private static AuditEvent.Outcome outcome(String value) {
		if (value == null) {
			return null;
		}
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "success" -> AuditEvent.Outcome.SUCCESS;
			case "failure" -> AuditEvent.Outcome.FAILURE;
			default -> throw BrokerException.badRequest("'outcome' is 'success' or 'failure'.");
		};
	}

	private static Long cursor(String value) {
		return (value != null) ? Long.valueOf(matching("cursor", value, CURSOR)) : null;
	}

	private static int limit(String value) {
		if (value == null) {
			return 100;
		}
		if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > AuditEvents.MAX_PAGE) {
			throw BrokerException.badRequest("'limit' is a number from 1 to " + AuditEvents.MAX_PAGE + ".");
		}
		return Integer.parseInt(value);
	}

}
