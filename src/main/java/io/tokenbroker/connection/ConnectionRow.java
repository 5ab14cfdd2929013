package io.tokenbroker.connection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connection as stored, with the connector fields the hot path needs. Tokens are still ciphertexts here; only
 * {@link ConnectionSecrets} turns them into plaintext.
 */
record ConnectionRow(String id, String connectorId, String appId, String appUserId, String integrationType,
		ConnectionStatus status, String statusReason, String accessTokenCipher, String refreshTokenCipher,
		Instant expiresAt, List<String> grantedScopes, String accountId, String accountEmail,
		Map<String, String> metadata, Map<String, String> connectorConfig, List<String> connectorScopes,
		Instant authorizedAt, Instant lastRefreshedAt, int refreshFailures, String leaseOwner, Instant leaseUntil,
		long version, Instant updatedAt) {

	ConnectionView view() {
		return ConnectionView.of(this);
	}

	@Override
	public String toString() {
		return "ConnectionRow[" + this.id + ", " + this.status + ", v" + this.version + "]";
	}

}
