package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionProblems.notConnected;
import static io.tokenbroker.connection.ConnectionProblems.reauthorize;
import static io.tokenbroker.connection.ConnectionProblems.unavailable;
import static io.tokenbroker.connection.ConnectionProblems.userNotConnected;
import static io.tokenbroker.connection.ConnectionProblems.userReauthorize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.stereotype.Service;

/**
 * The one use case callers come for: a valid access token. A token that is expired or about to expire is refreshed
 * first; a token that still works is served even if its refresh failed for a transient reason.
 */
@Service
public class TokenService {

	public static final String APP_WIDE = "";

	private final ConnectionStore store;

	private final ServedConnections served;

	private final ConnectionSecrets secrets;

	private final ConnectionRefresher refresher;

	private final RefreshPolicy policy;

	private final ProviderCatalog catalog;

	private final ConnectorService connectors;

	private final AuditTrail audit;

	private final Clock clock;

	TokenService(ConnectionStore store, ServedConnections served, ConnectionSecrets secrets,
			ConnectionRefresher refresher, RefreshPolicy policy, ProviderCatalog catalog, ConnectorService connectors,
			AuditTrail audit, Clock clock) {
		this.store = store;
		this.served = served;
		this.secrets = secrets;
		this.refresher = refresher;
		this.policy = policy;
		this.catalog = catalog;
		this.connectors = connectors;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * A valid token of the app's connection of {@code type} ({@code appUserId} {@link #APP_WIDE} for the app-wide one).
	 * @throws BrokerException 404 without connector, 409 when not connected or re-authorization is needed, 503 when
	 * the token expired and the provider cannot refresh it right now
	 */
	public AccessGrant accessGrant(String appId, String type, String appUserId) {
		AuditEvent read = AuditEvent.of(AuditActions.TOKEN_READ, appId).withConnector(type, null).withAppUser(appUserId);
		ConnectionRow row;
		try {
			this.catalog.require(type);
			row = this.served.find(appId, type, appUserId).orElseThrow(() -> missing(appId, type));
		}
		catch (RuntimeException ex) {
			throw failed(read, ex);
		}
		return serve(row, read.withConnector(type, row.connectorId()));
	}

	/** Like {@link #accessGrant} for a connector named by id. */
	public AccessGrant accessGrantByConnectorId(String appId, String connectorId, String appUserId) {
		AuditEvent read = AuditEvent.of(AuditActions.TOKEN_READ, appId).withConnector(null, connectorId)
			.withAppUser(appUserId);
		// One indexed read when connected; only a miss looks at the connector, to tell 404 from 409.
		ConnectionRow row;
		try {
			row = this.served.findByConnector(appId, connectorId, appUserId).orElse(null);
			if (row == null) {
				var connector = this.connectors.findById(appId, connectorId)
					.orElseThrow(() -> BrokerException.notFound(ErrorCodes.CONNECTOR_NOT_FOUND,
							"This app has no connector with that id."));
				throw APP_WIDE.equals(appUserId) ? notConnected(connector.getIntegrationType())
						: userNotConnected(connector.getIntegrationType(), connector.getId());
			}
		}
		catch (RuntimeException ex) {
			throw failed(read, ex);
		}
		return serve(row, read.withConnector(row.integrationType(), connectorId));
	}

	/**
	 * A replacement for a grant the provider rejected (HTTP 401), or empty when a new token is unlikely to help. When
	 * the stored token is no longer the rejected one, another caller already refreshed it and it is served as is;
	 * otherwise the token is refreshed once, but only when it is expiring or expired: a provider that rejects a token
	 * with hours to live is refusing for another reason, and refreshing on every such answer would let callers drive
	 * the provider's token endpoint.
	 */
	public Optional<AccessGrant> renewRejected(String appId, String type, String appUserId, AccessGrant rejected) {
		return this.store.find(appId, type, appUserId).flatMap((row) -> renew(row, rejected));
	}

	/** Like {@link #renewRejected} for a connector named by id. */
	public Optional<AccessGrant> renewRejectedByConnectorId(String appId, String connectorId, String appUserId,
			AccessGrant rejected) {
		return this.connectors.findById(appId, connectorId)
			.flatMap((connector) -> this.store.findByConnector(connector.getId(), appUserId))
			.flatMap((row) -> renew(row, rejected));
	}

	private Optional<AccessGrant> renew(ConnectionRow row, AccessGrant rejected) {
		if (row.status() != ConnectionStatus.ACTIVE) {
			return Optional.empty();
		}
		try {
			if (!same(this.secrets.accessToken(row), rejected.accessToken())) {
				return Optional.of(grant(row));
			}
			if (!this.policy.isExpiring(row.expiresAt(), Instant.now(this.clock))) {
				return Optional.empty();
			}
			Optional<ConnectionRow> refreshed = this.refresher.refreshRejected(row.id(), row.version());
			if (refreshed.isEmpty() || refreshed.get().status() != ConnectionStatus.ACTIVE) {
				return Optional.empty();
			}
			AccessGrant renewed = grant(refreshed.get());
			return same(renewed.accessToken(), rejected.accessToken()) ? Optional.empty() : Optional.of(renewed);
		}
		catch (ProviderException | DecryptionException | BrokerException ex) {
			// The caller keeps the provider's own answer; the connection's status already says what went wrong.
			return Optional.empty();
		}
	}

	private static boolean same(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Every read is recorded, served or not. The record of a served token is made before the token leaves: when the
	 * audit trail cannot take it, the read fails with 503 instead.
	 */
	private AccessGrant serve(ConnectionRow row, AuditEvent read) {
		AccessGrant grant;
		try {
			grant = grant(row);
		}
		catch (RuntimeException ex) {
			throw failed(read, ex);
		}
		this.audit.record(read);
		return grant;
	}

	private RuntimeException failed(AuditEvent read, RuntimeException ex) {
		String code = (ex instanceof BrokerException broker) ? broker.code() : Problems.codeOf(ex);
		this.audit.record(read.failed(code));
		return ex;
	}

	private AccessGrant grant(ConnectionRow row) {
		requireUsable(row);
		if (this.policy.shouldRefreshOnRead(row, Instant.now(this.clock))) {
			row = refreshOrFallBack(row);
			requireUsable(row);
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
			// A transient failure: the token in hand still works until it expires.
			if (row.expiresAt().isAfter(Instant.now(this.clock))) {
				return row;
			}
			throw unavailable(row.integrationType(), this.policy.callerRetryAfter(ex.retryAfter()));
		}
	}

	private static void requireUsable(ConnectionRow row) {
		switch (row.status()) {
			case ACTIVE -> {
			}
			case EXPIRED -> throw APP_WIDE.equals(row.appUserId())
					? reauthorize(row.integrationType(), row.statusReason())
					: userReauthorize(row.integrationType(), row.connectorId(), row.statusReason());
			default -> throw APP_WIDE.equals(row.appUserId()) ? notConnected(row.integrationType())
					: userNotConnected(row.integrationType(), row.connectorId());
		}
	}

	static java.util.Map<String, String> connectionConfig(ConnectionRow row) {
		if (row.connectorConfig().isEmpty() && row.metadata().isEmpty()) {
			return null;
		}
		var config = new java.util.LinkedHashMap<>(row.connectorConfig());
		config.putAll(row.metadata());
		return config;
	}

	private BrokerException missing(String appId, String type) {
		return this.connectors.find(appId, type).isPresent() ? notConnected(type) : ConnectorService.notFound(type);
	}

}
