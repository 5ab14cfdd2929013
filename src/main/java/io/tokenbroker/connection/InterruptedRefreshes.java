package io.tokenbroker.connection;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.stereotype.Component;

/**
 * Refreshes taken over from an interrupted one: a refresher that died mid-call (its lease ran out with the refresh
 * token sent and no answer stored), or a call that was sent and got no answer (read timeout, dropped connection),
 * repeated at once by the same replica. Counted in {@code broker.refresh.interrupted} (tags: provider, outcome) and
 * recorded in the audit trail ({@link AuditActions#CONNECTION_REFRESH_INTERRUPTED}): {@code recovered} when the
 * provider still accepted the stored refresh token, {@code lost} when it refused it (the interrupted call had used
 * it, and a provider that rotates refresh tokens then wants a new authorization).
 */
@Component
class InterruptedRefreshes {

	private static final Logger log = LoggerFactory.getLogger(InterruptedRefreshes.class);

	private final MeterRegistry metrics;

	private final AuditTrail audit;

	InterruptedRefreshes(MeterRegistry metrics, AuditTrail audit) {
		this.metrics = metrics;
		this.audit = audit;
	}

	void recovered(ConnectionRow row) {
		record(row, "recovered");
	}

	void lost(ConnectionRow row) {
		log.warn("Connection {} ({}) was lost: an interrupted refresh (a stopped replica, or a call that got no answer) "
				+ "had used its refresh token, and the provider refused it; the connection needs a new authorization",
				row.id(), row.integrationType());
		record(row, "lost");
	}

	private void record(ConnectionRow row, String outcome) {
		this.metrics.counter("broker.refresh.interrupted", "provider", row.integrationType(), "outcome", outcome)
			.increment();
		AuditEvent event = AuditEvent.of(AuditActions.CONNECTION_REFRESH_INTERRUPTED, row.appId())
			.withConnector(row.integrationType(), row.connectorId())
			.withAppUser(row.appUserId());
		try {
			this.audit.record("lost".equals(outcome) ? event.failed(ErrorCodes.REAUTHORIZATION_REQUIRED) : event);
		}
		catch (RuntimeException ex) {
			// The connection's status and the metric still say it; a background task has no caller to refuse.
			log.warn("Could not record the interrupted refresh of connection {} in the audit trail: {}", row.id(),
					ex.toString());
		}
	}

}
