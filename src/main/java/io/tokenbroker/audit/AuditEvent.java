package io.tokenbroker.audit;

import java.time.Instant;
import java.util.Locale;

/**
 * One audit record: who ({@code actor}, the token's {@code sub}) did what ({@code action}) to which connection of which
 * app, with what outcome. {@code reason} is a stable error code such as {@code not_connected}, never a message that
 * could quote a token or secret. Request id and client address are filled in by {@link AuditTrail} when the record is
 * made on a request thread.
 * @param appId the app the event belongs to; {@link #DEPLOYMENT} for deployment-wide operations
 */
public record AuditEvent(Instant time, String appId, String actor, String action, String integrationType,
		String connectorId, String appUserId, Outcome outcome, String reason, String requestId,
		String clientAddress) {

	/** The app id of deployment-wide events (key re-encryption), which belong to no app. */
	public static final String DEPLOYMENT = "";

	public enum Outcome {

		SUCCESS, FAILURE;

		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	public AuditEvent {
		if (!isAction(action)) {
			throw new IllegalArgumentException("An audit action is lower-case letters, digits, '_' and '.'");
		}
		appId = (appId != null) ? clip(appId, 128) : DEPLOYMENT;
		outcome = (outcome != null) ? outcome : Outcome.SUCCESS;
		actor = clip(actor, 255);
		integrationType = clip(integrationType, 64);
		connectorId = clip(connectorId, 40);
		appUserId = clip(appUserId, 255);
		reason = clip(reason, 200);
		requestId = clip(requestId, 64);
		clientAddress = clip(clientAddress, 64);
	}

	/** A successful {@code action} in {@code appId}; add details with the {@code with…} methods. */
	public static AuditEvent of(String action, String appId) {
		return new AuditEvent(null, appId, null, action, null, null, null, Outcome.SUCCESS, null, null, null);
	}

	/** A successful {@code action} on a connection, in one step (token reads make one per request). */
	public static AuditEvent of(String action, String appId, String integrationType, String connectorId,
			String appUserId) {
		return new AuditEvent(null, appId, null, action, integrationType, connectorId, appUserId, Outcome.SUCCESS,
				null, null, null);
	}

	public AuditEvent withConnector(String type, String id) {
		return new AuditEvent(this.time, this.appId, this.actor, this.action, type, id, this.appUserId, this.outcome,
				this.reason, this.requestId, this.clientAddress);
	}

	public AuditEvent withAppUser(String id) {
		return new AuditEvent(this.time, this.appId, this.actor, this.action, this.integrationType, this.connectorId,
				id, this.outcome, this.reason, this.requestId, this.clientAddress);
	}

	public AuditEvent withActor(String subject) {
		return new AuditEvent(this.time, this.appId, subject, this.action, this.integrationType, this.connectorId,
				this.appUserId, this.outcome, this.reason, this.requestId, this.clientAddress);
	}

	/** A failed attempt; {@code code} is a stable error code (e.g. {@code reauthorization_required}). */
	public AuditEvent failed(String code) {
		return new AuditEvent(this.time, this.appId, this.actor, this.action, this.integrationType, this.connectorId,
				this.appUserId, Outcome.FAILURE, code, this.requestId, this.clientAddress);
	}

	AuditEvent completed(Instant now, String currentActor, String currentRequestId, String currentClientAddress) {
		return new AuditEvent((this.time != null) ? this.time : now, this.appId,
				(this.actor != null) ? this.actor : currentActor, this.action, this.integrationType, this.connectorId,
				this.appUserId, this.outcome, this.reason,
				(this.requestId != null) ? this.requestId : currentRequestId,
				(this.clientAddress != null) ? this.clientAddress : currentClientAddress);
	}

	/**
	 * Whether {@code action} matches {@code [a-z][a-z0-9_.]{0,63}}; a loop, not a regular expression, since every
	 * token read builds a record (and copies it once more to complete it).
	 */
	static boolean isAction(String action) {
		if (action == null || action.isEmpty() || action.length() > 64 || !lowerLetter(action.charAt(0))) {
			return false;
		}
		for (int i = 1; i < action.length(); i++) {
			char c = action.charAt(i);
			if (!lowerLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.') {
				return false;
			}
		}
		return true;
	}

	private static boolean lowerLetter(char c) {
		return c >= 'a' && c <= 'z';
	}

	/** At most {@code max} characters, control characters replaced by spaces (every record is built several times). */
	private static String clip(String value, int max) {
		if (value == null) {
			return null;
		}
		String kept = (value.length() > max) ? value.substring(0, max) : value;
		for (int i = 0; i < kept.length(); i++) {
			if (Character.isISOControl(kept.charAt(i))) {
				char[] chars = kept.toCharArray();
				for (int j = i; j < chars.length; j++) {
					if (Character.isISOControl(chars[j])) {
						chars[j] = ' ';
					}
				}
				return new String(chars);
			}
		}
		return kept;
	}

}
