package io.tokenbroker.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.webhook.ConnectionChange;
import io.tokenbroker.webhook.EventType;
import io.tokenbroker.webhook.Outbox;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, reads and deletes an app's connectors. Tokens are not its business: see the connection module. */
@Service
public class ConnectorService {

	private final ConnectorRepository connectors;

	private final ProviderCatalog catalog;

	private final AppRegistry apps;

	private final AuditTrail audit;

	private final Clock clock;

	private final ConnectorRemovalProperties removal;

	private final ApplicationEventPublisher events;

	private final Outbox outbox;

	ConnectorService(ConnectorRepository connectors, ProviderCatalog catalog, AppRegistry apps, AuditTrail audit,
			Clock clock, ConnectorRemovalProperties removal, ApplicationEventPublisher events, Outbox outbox) {
		this.outbox = outbox;
		this.connectors = connectors;
		this.catalog = catalog;
		this.apps = apps;
		this.audit = audit;
		this.clock = clock;
		this.removal = removal;
		this.events = events;
	}

	/**
	 * Creates the app's connector for {@code type}, or updates its scopes and config. {@code scopes == null} means the
	 * catalog's default scopes. Saving a removed connector within its grace period brings it back with its tokens.
	 */
	@Transactional
	public Connector save(String appId, String type, List<String> scopes, Map<String, String> connectionConfig) {
		Provider provider = this.catalog.requireConfigured(type);
		List<String> effectiveScopes = ScopeValidator.validate((scopes != null) ? scopes : provider.scopes());
		Map<String, String> config = ConnectionConfigValidator.validate(provider,
				(connectionConfig != null) ? connectionConfig : Map.of());
		if (provider.authMode() == AuthMode.API_KEY) {
			effectiveScopes = List.of();
		}
		Instant now = Instant.now(this.clock);
		Connector connector = this.connectors.findByAppIdAndIntegrationType(appId, type).orElse(null);
		boolean created = connector == null;
		if (created) {
			this.apps.ensureExists(appId);
			connector = new Connector(Ids.newId("con"), appId, type, now);
		}
		else if (connector.isDisabled()) {
			connector.enable(now);
		}
		connector.update(effectiveScopes, config, now);
		try {
			Connector saved = this.connectors.saveAndFlush(connector);
			announce(created ? AuditActions.CONNECTOR_CREATED : AuditActions.CONNECTOR_UPDATED, saved);
			return saved;
		}
		catch (DataIntegrityViolationException ex) {
			// Lost a race with a concurrent create of the same (app, type): the unique key kept the other one.
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
					"The connector was created concurrently by another request; retry.");
		}
	}

	@Transactional(readOnly = true)
	public Optional<Connector> find(String appId, String type) {
		ProviderCatalog.checkSyntax(type);
		return this.connectors.findByAppIdAndIntegrationTypeAndDisabledAtIsNull(appId, type);
	}

	/** The app's connector of {@code type}; another app's connector is indistinguishable from a missing one. */
	@Transactional(readOnly = true)
	public Connector require(String appId, String type) {
		this.catalog.require(type);
		return find(appId, type).orElseThrow(() -> notFound(type));
	}

	@Transactional(readOnly = true)
	public Optional<Connector> findById(String appId, String connectorId) {
		return this.connectors.findByAppIdAndIdAndDisabledAtIsNull(appId, connectorId);
	}

	/** The app's connector {@code connectorId}; another app's connector is indistinguishable from a missing one. */
	@Transactional(readOnly = true)
	public Connector requireById(String appId, String connectorId) {
		return findById(appId, connectorId).orElseThrow(() -> BrokerException.notFound(ErrorCodes.CONNECTOR_NOT_FOUND,
				"This app has no connector with that id."));
	}

	@Transactional(readOnly = true)
	public List<Connector> list(String appId) {
		return this.connectors.findByAppIdAndDisabledAtIsNullOrderByIntegrationType(appId);
	}

	/**
	 * Removes the connector recoverably: it disappears from every read at once and keeps its tokens until the grace
	 * period ends. Returns when it will be purged.
	 */
	@Transactional
	public Instant remove(Connector connector) {
		Connector current = this.connectors.findById(connector.getId())
			.orElseThrow(() -> notFound(connector.getIntegrationType()));
		if (!current.isDisabled()) {
			Instant now = Instant.now(this.clock);
			current.disable(now, now.plus(this.removal.removalGracePeriod()));
			announce(AuditActions.CONNECTOR_REMOVED, current);
			this.outbox.append(ConnectionChange.ofConnector(EventType.CONNECTOR_REMOVED, current.getAppId(),
					current.getIntegrationType(), current.getId(), "removed"));
		}
		return current.getPurgeAfter();
	}

	/** The app's removed connector of {@code type} that is still in its grace period. */
	@Transactional(readOnly = true)
	public Optional<Connector> findRemoved(String appId, String type) {
		ProviderCatalog.checkSyntax(type);
		return this.connectors.findByAppIdAndIntegrationType(appId, type).filter(Connector::isDisabled);
	}

	/** Brings a removed connector back as it was, if its grace period has not ended. */
	@Transactional
	public Connector restore(String appId, String type) {
		ProviderCatalog.checkSyntax(type);
		Connector connector = this.connectors.findByAppIdAndIntegrationType(appId, type)
			.filter(Connector::isDisabled)
			.orElseThrow(() -> BrokerException.notFound(ErrorCodes.CONNECTOR_NOT_FOUND, "This app has no removed '"
					+ type + "' connector to restore (it was never removed, or its grace period is over)."));
		connector.enable(Instant.now(this.clock));
		announce(AuditActions.CONNECTOR_RESTORED, connector);
		this.outbox.append(ConnectionChange.ofConnector(EventType.CONNECTOR_RESTORED, appId,
				connector.getIntegrationType(), connector.getId(), "restored"));
		return connector;
	}

	/** Removed connectors whose grace period is over, each claimed for this caller for {@code lease}. */
	@Transactional
	public List<Connector> claimDuePurges(int limit, Duration lease) {
		Instant now = Instant.now(this.clock);
		return this.connectors.findByPurgeAfterLessThanEqualOrderByPurgeAfter(now, Limit.of(limit))
			.stream()
			.filter((c) -> this.connectors.claimPurge(c.getId(), c.getPurgeAfter(), now.plus(lease)) == 1)
			.toList();
	}

	/** The apps that have had a connector, in order, at most {@code limit}: for the operator console's chooser. */
	public List<String> appIds(int limit) {
		return this.apps.ids(limit);
	}

	/** Deletes the connector and, by cascade, its connections and pending authorizations. */
	@Transactional
	public void delete(Connector connector) {
		this.connectors.deleteById(connector.getId());
		announce(AuditActions.CONNECTOR_DELETED, connector);
		if (!connector.isDisabled()) {
			// A removed connector's purge said nothing new: connector.removed was sent when it was removed.
			this.outbox.append(ConnectionChange.ofConnector(EventType.CONNECTOR_REMOVED, connector.getAppId(),
					connector.getIntegrationType(), connector.getId(), "deleted"));
		}
	}

	public static BrokerException notFound(String type) {
		return BrokerException.notFound(ErrorCodes.CONNECTOR_NOT_FOUND,
				"This app has no connector for '" + type + "'. Create it with PUT /connectors/" + type + ".");
	}

	/** Tells the connection caches that the connector changed, and records the change in the audit trail. */
	private void announce(String action, Connector connector) {
		this.events.publishEvent(new ConnectorChanged(connector.getId()));
		this.audit.record(AuditEvent.of(action, connector.getAppId())
			.withConnector(connector.getIntegrationType(), connector.getId()));
	}

}
