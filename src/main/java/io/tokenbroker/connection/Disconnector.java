package io.tokenbroker.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.webhook.EventType;

import org.springframework.stereotype.Service;

/**
 * Deletes connectors and connections, then revokes their grants at the provider. The local delete comes first and
 * never waits on the provider: a failed revocation is logged, not retried into the caller's face.
 */
@Service
public class Disconnector {

	private static final Logger log = LoggerFactory.getLogger(Disconnector.class);

	private static final int PURGE_BATCH = 100;

	private final ConnectorService connectors;

	private final ConnectionStore store;

	private final DisconnectedStore disconnected;

	private final ConnectionSecrets secrets;

	private final ProviderCatalog catalog;

	private final TokenEndpoint tokenEndpoint;

	private final AuditTrail audit;

	private final ConnectionEvents events;

	Disconnector(ConnectorService connectors, ConnectionStore store, DisconnectedStore disconnected,
			ConnectionSecrets secrets, ProviderCatalog catalog, TokenEndpoint tokenEndpoint, AuditTrail audit,
			ConnectionEvents events) {
		this.events = events;
		this.connectors = connectors;
		this.store = store;
		this.disconnected = disconnected;
		this.secrets = secrets;
		this.catalog = catalog;
		this.tokenEndpoint = tokenEndpoint;
		this.audit = audit;
	}

	/** Deletes the connector with every connection (app-wide and per end user) and revokes them. */
	public void deleteConnector(Connector connector) {
		List<Revocation> revocations = new ArrayList<>();
		for (ConnectionRow row : this.store.findAllByConnector(connector.getId())) {
			revocations.add(revocationFor(row));
		}
		this.connectors.delete(connector);
		revokeAll(connector.getIntegrationType(), revocations);
	}

	/** Deletes one end user's (or the app-wide) connection and revokes it. Returns whether there was one. */
	public boolean deleteConnection(Connector connector, String appUserId) {
		ConnectionRow row = this.store.findByConnector(connector.getId(), appUserId).orElse(null);
		if (row == null) {
			return false;
		}
		Revocation revocation = revocationFor(row);
		this.events.emitIf(EventType.CONNECTION_DISCONNECTED, row, ConnectionStatus.DISCONNECTED, "deleted", () -> {
			this.store.delete(row.id());
			return true;
		});
		this.audit.record(AuditEvent.of(AuditActions.CONNECTION_DELETED, connector.getAppId())
			.withConnector(connector.getIntegrationType(), connector.getId())
			.withAppUser(appUserId));
		revokeAll(connector.getIntegrationType(), List.of(revocation));
		return true;
	}

	/**
	 * Deletes the connections disconnected before {@code cutoff} (their grace period is over) and revokes their grants.
	 * A row that changed meanwhile (restored, re-authorized) is kept; with several replicas only the one whose delete
	 * succeeded revokes. Returns how many were purged.
	 */
	public int purgeDisconnected(Instant cutoff) {
		int purged = 0;
		boolean more = true;
		while (more) {
			List<ConnectionRow> batch = this.disconnected.disconnectedBefore(cutoff, PURGE_BATCH);
			int before = purged;
			for (ConnectionRow row : batch) {
				Revocation revocation = revocationFor(row);
				if (this.disconnected.deleteIfUnchanged(row.id(), row.version())) {
					purged++;
					revokeAll(row.integrationType(), List.of(revocation));
				}
			}
			// Another replica may be purging the same rows: stop when a full batch made no progress.
			more = batch.size() == PURGE_BATCH && purged > before;
		}
		return purged;
	}

	private Revocation revocationFor(ConnectionRow row) {
		try {
			return new Revocation(row.connectorConfig(), this.secrets.refreshToken(row), this.secrets.accessToken(row));
		}
		catch (DecryptionException ex) {
			log.warn("Connection {} does not decrypt; deleting without revocation", row.id());
			return new Revocation(row.connectorConfig(), null, null);
		}
	}

	private void revokeAll(String type, List<Revocation> revocations) {
		Provider provider = this.catalog.find(type).orElse(null);
		if (provider == null || provider.revocationUrl() == null || !provider.configured()) {
			return;
		}
		for (Revocation r : revocations) {
			// Revoking the refresh token ends the whole grant at most providers; the access token otherwise.
			if (r.refreshToken() != null) {
				this.tokenEndpoint.revoke(provider, r.config(), r.refreshToken(), "refresh_token");
			}
			else if (r.accessToken() != null) {
				this.tokenEndpoint.revoke(provider, r.config(), r.accessToken(), "access_token");
			}
		}
	}

	private record Revocation(java.util.Map<String, String> config, String refreshToken, String accessToken) {

		@Override
		public String toString() {
			return "Revocation[****]";
		}

	}

}
