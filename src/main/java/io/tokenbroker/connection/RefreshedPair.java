package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionRows.joinScopes;
import static io.tokenbroker.connection.ConnectionRows.ts;

import java.time.Instant;
import java.util.List;

/**
 * A refreshed token pair to store on a connection, fenced on the version the refresh started from.
 * @param id the connection
 * @param version the version the refresh read
 * @param accessCipher the new access token, encrypted
 * @param refreshCipher the new refresh token (or the old one when the provider did not rotate it), encrypted
 * @param expiresAt when the new access token expires
 * @param grantedScopes the scopes the provider granted, or null when it did not say
 * @param refreshDueAt when the scheduler should renew it
 * @param now the time of the refresh
 */
record RefreshedPair(String id, long version, String accessCipher, String refreshCipher, Instant expiresAt,
		List<String> grantedScopes, Instant refreshDueAt, Instant now) {

	/** The parameters of {@link ConnectionStore#SAVE_REFRESH}, in order. */
	Object[] parameters() {
		return new Object[] { this.accessCipher, this.refreshCipher, ts(this.expiresAt), joinScopes(this.grantedScopes),
				ts(this.now), ts(this.refreshDueAt), ts(this.now), this.id, this.version };
	}

}
