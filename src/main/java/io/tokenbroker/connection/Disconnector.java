package io.tokenbroker.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.GrantRevocations.Revocation;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.webhook.EventType;

import org.springframework.stereotype.Service;

/**
 * Deletes connectors and connections, then revokes their grants at the provider. The local delete comes first and
 * never waits on the provider: a failed revocation is logged, not retried into the caller's face.
 */
@Service
public class Disconnector {

	private static final int PURGE_BATCH = 100;

	private final ConnectorService connectors;

	private final ConnectionStore store;

	private final DisconnectedStore disconnected;

	private final GrantRevocations revocations;

	private final AuditTrail audit;

	private final ConnectionEvents events;

	Disconnector(ConnectorService connectors, ConnectionStore store, DisconnectedStore disconnected,
			GrantRevocations revocations, AuditTrail audit, ConnectionEvents events) {
		this.events = events;
		this.connectors = connectors;
		this.store = store;
		this.disconnected = disconnected;
		this.revocations = revocations;
		this.audit = audit;
	}

	/** Deletes the connector with every connection (app-wide and per end user) and revokes them. */
	public void deleteConnector(Connector connector) {
		List<Revocation> grants = new ArrayList<>();
		for (ConnectionRow row : this.store.findAllByConnector(connector.getId())) {
			grants.add(this.revocations.of(row));
		}
		this.connectors.delete(connector);
		this.revocations.revokeAll(connector.getIntegrationType(), grants);
	}

	/** Deletes one end user's (or the app-wide) connection and revokes it. Returns whether there was one. */
	public boolean deleteConnection(Connector connector, String appUserId) {
		ConnectionRow row = this.store.findByConnector(connector.getId(), appUserId).orElse(null);
		if (row == null) {
			return false;
		}
		Revocation revocation = this.revocations.of(row);
		this.events.emitIf(EventType.CONNECTION_DISCONNECTED, row, ConnectionStatus.DISCONNECTED, "deleted", () -> {
			this.store.delete(row.id());
			return true;
		});
		this.audit.record(AuditEvent.of(AuditActions.CONNECTION_DELETED, connector.getAppId())
			.withConnector(connector.getIntegrationType(), connector.getId())
			.withAppUser(appUserId));
		this.revocations.revokeAll(connector.getIntegrationType(), List.of(revocation));
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
				Revocation revocation = this.revocations.of(row);
				if (this.disconnected.deleteIfUnchanged(row.id(), row.version())) {
					purged++;
					this.revocations.revokeAll(row.integrationType(), List.of(revocation));
				}
			}
			// Another replica may be purging the same rows: stop when a full batch made no progress.
			more = batch.size() == PURGE_BATCH && purged > before;
		}
		return purged;
	}

}
