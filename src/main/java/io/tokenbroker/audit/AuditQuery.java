package io.tokenbroker.audit;

import java.time.Instant;

/**
 * What {@code GET /audit-events} asks for. {@code appId} is always the caller's app; every other member is optional.
 * {@code before} is the paging cursor: only records older than that id.
 */
public record AuditQuery(String appId, Instant from, Instant to, String action, String connectorId, String actor,
		String appUserId, AuditEvent.Outcome outcome, Long before) {
}
