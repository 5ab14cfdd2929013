package io.tokenbroker.authflow;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;

import org.springframework.stereotype.Component;

/**
 * The audit records of the authorization flow. The callback carries no service token, so its records name the subject
 * that started the attempt as the actor.
 */
@Component
class AttemptAudit {

	private final AuditTrail trail;

	AttemptAudit(AuditTrail trail) {
		this.trail = trail;
	}

	/** Refuses a callback up front (503, the state stays unused) when its record could not be kept. */
	void requireAccepting() {
		this.trail.requireAccepting();
	}

	void started(AuthorizationAttempt attempt, String type) {
		this.trail.record(event(AuditActions.AUTHORIZATION_STARTED, attempt, type));
	}

	void completed(AuthorizationAttempt attempt, String type) {
		this.trail.record(event(AuditActions.AUTHORIZATION_COMPLETED, attempt, type));
	}

	void failed(AuthorizationAttempt attempt, String type, String code) {
		this.trail.record(event(AuditActions.AUTHORIZATION_FAILED, attempt, type).failed(code));
	}

	private static AuditEvent event(String action, AuthorizationAttempt attempt, String type) {
		return AuditEvent.of(action, attempt.appId())
			.withConnector(type, attempt.connectorId())
			.withAppUser(attempt.appUserId())
			.withActor(attempt.startedBy());
	}

}
