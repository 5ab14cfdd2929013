package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionProblems.notConnected;
import static io.tokenbroker.connection.ConnectionProblems.reauthorize;
import static io.tokenbroker.connection.ConnectionProblems.refreshInProgress;
import static io.tokenbroker.connection.ConnectionProblems.unavailable;
import static io.tokenbroker.connection.ConnectionProblems.userNotConnected;
import static io.tokenbroker.connection.ConnectionProblems.userReauthorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.ProviderException;

import org.springframework.stereotype.Component;

/**
 * Turns a stored connection into a token a caller can use: a connection that is not active answers what the caller
 * must do instead, a token that is expired or about to expire is refreshed first, a token whose refresh is in flight
 * is not served before the answer is stored, and a token that still works is served even if its refresh failed for a
 * transient reason.
 */
@Component
class ConnectionGrants {

	private final ConnectionSecrets secrets;

	private final ConnectionRefresher refresher;

	private final RefreshPolicy policy;

	private final Clock clock;

	ConnectionGrants(ConnectionSecrets secrets, ConnectionRefresher refresher, RefreshPolicy policy, Clock clock) {
		this.secrets = secrets;
		this.refresher = refresher;
		this.policy = policy;
		this.clock = clock;
	}

	/**
	 * A valid token of {@code row}.
	 * @throws io.tokenbroker.problem.BrokerException 409 when not connected or re-authorization is needed, 503 when
	 * the token expired and the provider cannot refresh it right now
	 */
	AccessGrant grant(ConnectionRow row) {
		requireUsable(row);
		// A refresh in flight: the provider may have superseded the stored token already. Wait for the answer (or
		// take the refresh over when its refresher died) rather than hand out a token that may be revoked.
		if (row.refreshInFlight() || this.policy.shouldRefreshOnRead(row, Instant.now(this.clock))) {
			row = refreshOrFallBack(row);
			requireUsable(row);
			if (row.refreshInFlight()) {
				throw refreshInProgress(row.integrationType(), this.policy.callerRetryAfter(untilDue(row)));
			}
			// Still expired: another replica is still refreshing, or gave up on a transient failure.
			if (row.expiresAt() != null && !row.expiresAt().isAfter(Instant.now(this.clock))) {
				throw unavailable(row.integrationType(), this.policy.callerRetryAfter(null));
			}
		}
		String accessToken;
		try {
			accessToken = this.secrets.accessToken(row);
		}
		catch (DecryptionException ex) {
			// A removed key or a tampered row: the stored grant is unusable, and a new authorization replaces it.
			throw reauthorize(row.integrationType(), "the stored credentials cannot be decrypted");
		}
		return new AccessGrant(accessToken, connectionConfig(row), row.expiresAt(), row.grantedScopes(),
				row.integrationType());
	}

	private ConnectionRow refreshOrFallBack(ConnectionRow row) {
		try {
			return this.refresher.refresh(row.id()).orElseThrow(() -> notConnected(row.integrationType()));
		}
		catch (ProviderException ex) {
			if (ex.kind() == ProviderException.Kind.GRANT_INVALID) {
				throw reauthorize(row.integrationType(), "the provider rejected the refresh (" + ex.error() + ")");
			}
			// A transient failure: the token in hand still works until it expires, unless the refresh was sent and got
			// no answer (the provider may have superseded it). The row as it now is says whether it may be served.
			ConnectionRow current = this.refresher.current(row.id()).orElse(row);
			if (current.expiresAt() == null || current.expiresAt().isAfter(Instant.now(this.clock))) {
				return current;
			}
			throw unavailable(row.integrationType(), this.policy.callerRetryAfter(ex.retryAfter()));
		}
	}

	/** How long until the connection's next refresh attempt, or null when it is due. */
	private Duration untilDue(ConnectionRow row) {
		Instant now = Instant.now(this.clock);
		return (row.refreshDueAt() != null && row.refreshDueAt().isAfter(now))
				? Duration.between(now, row.refreshDueAt()) : null;
	}

	private static void requireUsable(ConnectionRow row) {
		switch (row.status()) {
			case ACTIVE -> {
			}
			case EXPIRED -> throw row.appWide() ? reauthorize(row.integrationType(), row.statusReason())
					: userReauthorize(row.integrationType(), row.connectorId(), row.statusReason());
			default -> throw row.appWide() ? notConnected(row.integrationType())
					: userNotConnected(row.integrationType(), row.connectorId());
		}
	}

	private static Map<String, String> connectionConfig(ConnectionRow row) {
		if (row.connectorConfig().isEmpty() && row.metadata().isEmpty()) {
			return null;
		}
		var config = new LinkedHashMap<>(row.connectorConfig());
		config.putAll(row.metadata());
		return config;
	}

}
