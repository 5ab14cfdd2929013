package io.tokenbroker.connection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connection as stored, with the connector fields the hot path needs. Tokens are still ciphertexts here; only
 * {@link ConnectionSecrets} turns them into plaintext.
 * @param refreshSentAt when the refresh token was sent to the provider, while its answer is not stored: the access
 * token here may already be superseded
 */
record ConnectionRow(String id, String connectorId, String appId, String appUserId, String integrationType,
		ConnectionStatus status, String statusReason, String accessTokenCipher, String refreshTokenCipher,
		Instant expiresAt, List<String> grantedScopes, String accountId, String accountEmail,
		Map<String, String> metadata, Map<String, String> connectorConfig, List<String> connectorScopes,
		Instant authorizedAt, Instant lastRefreshedAt, int refreshFailures, String leaseOwner, Instant leaseUntil,
		long version, Instant refreshDueAt, Instant updatedAt, Instant refreshSentAt) {

	/** Whether this is the app's own connection rather than an end user's. */
	boolean appWide() {
		return ConnectionRows.NO_END_USER.equals(this.appUserId);
	}

	ConnectionView view() {
		return ConnectionView.of(this);
	}

	/** This row as {@link ConnectionStore#saveRefresh} leaves it, so a refresh needs no second read. */
	ConnectionRow refreshed(String accessCipher, String refreshCipher, Instant newExpiresAt, List<String> scopes,
			Instant dueAt, Instant now) {
		return new ConnectionRow(this.id, this.connectorId, this.appId, this.appUserId, this.integrationType,
				this.status, null, accessCipher, refreshCipher, newExpiresAt,
				(scopes != null) ? scopes : this.grantedScopes, this.accountId, this.accountEmail, this.metadata,
				this.connectorConfig, this.connectorScopes, this.authorizedAt, now, 0, null, null, this.version + 1,
				dueAt, now, null);
	}

	/** This row as {@link ConnectionStore#markRefreshSent} leaves it. */
	ConnectionRow markedSent(Instant at) {
		return new ConnectionRow(this.id, this.connectorId, this.appId, this.appUserId, this.integrationType,
				this.status, this.statusReason, this.accessTokenCipher, this.refreshTokenCipher, this.expiresAt,
				this.grantedScopes, this.accountId, this.accountEmail, this.metadata, this.connectorConfig,
				this.connectorScopes, this.authorizedAt, this.lastRefreshedAt, this.refreshFailures, this.leaseOwner,
				this.leaseUntil, this.version, this.refreshDueAt, this.updatedAt, at);
	}

	/** Whether a refresh token was sent and no answer stored: the provider may have superseded this access token. */
	boolean refreshInFlight() {
		return this.refreshSentAt != null;
	}

	@Override
	public String toString() {
		return "ConnectionRow[" + this.id + ", " + this.status + ", v" + this.version + "]";
	}

}
