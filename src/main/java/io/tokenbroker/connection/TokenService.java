package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionProblems.notConnected;
import static io.tokenbroker.connection.ConnectionProblems.userNotConnected;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.Problems;

import org.springframework.stereotype.Service;

/**
 * The one use case callers come for: a valid access token of a connection, and a replacement when the provider
 * rejected it. Every read is audited; {@link ConnectionGrants} decides whether a stored token can be served.
 */
@Service
public class TokenService {

	private final ConnectionStore store;

	private final ServedConnections served;

	private final ConnectionGrants grants;

	private final ConnectionSecrets secrets;

	private final ConnectionRefresher refresher;

	private final RefreshPolicy policy;

	private final ProviderCatalog catalog;

	private final ConnectorService connectors;

	private final AuditTrail audit;

	private final Clock clock;

	TokenService(ConnectionStore store, ServedConnections served, ConnectionGrants grants, ConnectionSecrets secrets,
			ConnectionRefresher refresher, RefreshPolicy policy, ProviderCatalog catalog, ConnectorService connectors,
			AuditTrail audit, Clock clock) {
		this.store = store;
		this.served = served;
		this.grants = grants;
		this.secrets = secrets;
		this.refresher = refresher;
		this.policy = policy;
		this.catalog = catalog;
		this.connectors = connectors;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * A valid token of the connection {@code ref} names. One indexed read when connected (often none: the row is
	 * cached); only a miss looks at the connector, to tell 404 from 409.
	 * @throws BrokerException 404 without connector, 409 when not connected or re-authorization is needed, 503 when
	 * the token expired and the provider cannot refresh it right now
	 */
	public AccessGrant accessGrant(ConnectionRef ref) {
		ConnectionRow row;
		try {
			if (ref.byType()) {
				this.catalog.require(ref.integrationType());
			}
			row = this.served.find(ref).orElseThrow(() -> missing(ref));
		}
		catch (RuntimeException ex) {
			throw failed(AuditEvent.of(AuditActions.TOKEN_READ, ref.appId(), ref.integrationType(), ref.connectorId(),
					ref.storedAppUserId()), ex);
		}
		return serve(row, AuditEvent.of(AuditActions.TOKEN_READ, ref.appId(), row.integrationType(), row.connectorId(),
				ref.storedAppUserId()));
	}

	/**
	 * A replacement for a grant the provider rejected (HTTP 401), or empty when a new token is unlikely to help. When
	 * the stored token is no longer the rejected one, another caller already refreshed it and it is served as is;
	 * otherwise the token is refreshed once, but only when it is expiring or expired: a provider that rejects a token
	 * with hours to live is refusing for another reason, and refreshing on every such answer would let callers drive
	 * the provider's token endpoint.
	 */
	public Optional<AccessGrant> renewRejected(ConnectionRef ref, AccessGrant rejected) {
		return this.store.find(ref).flatMap((row) -> renew(row, rejected));
	}

	private Optional<AccessGrant> renew(ConnectionRow row, AccessGrant rejected) {
		if (row.status() != ConnectionStatus.ACTIVE) {
			return Optional.empty();
		}
		try {
			if (!same(this.secrets.accessToken(row), rejected.accessToken())) {
				return Optional.of(this.grants.grant(row));
			}
			if (!this.policy.isExpiring(row.expiresAt(), Instant.now(this.clock))) {
				return Optional.empty();
			}
			Optional<ConnectionRow> refreshed = this.refresher.refreshRejected(row.id(), row.version());
			if (refreshed.isEmpty() || refreshed.get().status() != ConnectionStatus.ACTIVE) {
				return Optional.empty();
			}
			AccessGrant renewed = this.grants.grant(refreshed.get());
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
			grant = this.grants.grant(row);
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

	/** No served connection: 404 when the connector itself is missing, else 409 telling who must connect. */
	private BrokerException missing(ConnectionRef ref) {
		Connector connector = ref.byType()
				? this.connectors.find(ref.appId(), ref.integrationType())
					.orElseThrow(() -> ConnectorService.notFound(ref.integrationType()))
				: this.connectors.requireById(ref.appId(), ref.connectorId());
		return ref.isAppWide() ? notConnected(connector.getIntegrationType())
				: userNotConnected(connector.getIntegrationType(), connector.getId());
	}

}
