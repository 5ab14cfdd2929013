package io.tokenbroker.connector;

import java.time.Clock;
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

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, reads and deletes an app's connectors. Tokens are not its business: see the connection module. */
@Service
public class ConnectorService {

	private static final int MAX_SCOPES = 100;

	private static final int MAX_SCOPE_LENGTH = 512;

	private final ConnectorRepository connectors;

	private final ProviderCatalog catalog;

	private final AppRegistry apps;

	private final AuditTrail audit;

	private final Clock clock;

	ConnectorService(ConnectorRepository connectors, ProviderCatalog catalog, AppRegistry apps, AuditTrail audit,
			Clock clock) {
		this.connectors = connectors;
		this.catalog = catalog;
		this.apps = apps;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Creates the app's connector for {@code type}, or updates its scopes and config. {@code scopes == null} means the
	 * catalog's default scopes.
	 */
	@Transactional
	public Connector save(String appId, String type, List<String> scopes, Map<String, String> connectionConfig) {
		Provider provider = this.catalog.requireConfigured(type);
		List<String> effectiveScopes = validateScopes((scopes != null) ? scopes : provider.scopes());
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
		connector.update(effectiveScopes, config, now);
		try {
			Connector saved = this.connectors.saveAndFlush(connector);
			this.audit.record(AuditEvent
				.of(created ? AuditActions.CONNECTOR_CREATED : AuditActions.CONNECTOR_UPDATED, appId)
				.withConnector(type, saved.getId()));
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
		return this.connectors.findByAppIdAndIntegrationType(appId, type);
	}

	/** The app's connector of {@code type}; another app's connector is indistinguishable from a missing one. */
	@Transactional(readOnly = true)
	public Connector require(String appId, String type) {
		this.catalog.require(type);
		return find(appId, type).orElseThrow(() -> notFound(type));
	}

	@Transactional(readOnly = true)
	public Optional<Connector> findById(String appId, String connectorId) {
		return this.connectors.findByAppIdAndId(appId, connectorId);
	}

	@Transactional(readOnly = true)
	public List<Connector> list(String appId) {
		return this.connectors.findByAppIdOrderByIntegrationType(appId);
	}

	/** The apps that have had a connector, in order, at most {@code limit}: for the operator console's chooser. */
	public List<String> appIds(int limit) {
		return this.apps.ids(limit);
	}

	/** Deletes the connector and, by cascade, its connections and pending authorizations. */
	@Transactional
	public void delete(Connector connector) {
		this.connectors.deleteById(connector.getId());
		this.audit.record(AuditEvent.of(AuditActions.CONNECTOR_DELETED, connector.getAppId())
			.withConnector(connector.getIntegrationType(), connector.getId()));
	}

	public static BrokerException notFound(String type) {
		return BrokerException.notFound(ErrorCodes.CONNECTOR_NOT_FOUND,
				"This app has no connector for '" + type + "'. Create it with PUT /connectors/" + type + ".");
	}

	private static List<String> validateScopes(List<String> scopes) {
		if (scopes.size() > MAX_SCOPES) {
			throw BrokerException.badRequest("At most " + MAX_SCOPES + " scopes may be requested.");
		}
		for (String scope : scopes) {
			if (scope == null || scope.isBlank() || scope.length() > MAX_SCOPE_LENGTH
					|| scope.chars().anyMatch(Character::isISOControl)) {
				throw BrokerException.badRequest(
						"Each scope must be a non-blank string of at most " + MAX_SCOPE_LENGTH
								+ " characters without control characters.");
			}
		}
		return scopes.stream().map(String::strip).distinct().toList();
	}

}
