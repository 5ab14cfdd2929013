package io.tokenbroker.api;

import java.util.List;

import io.tokenbroker.authflow.AuthorizationService;
import io.tokenbroker.authflow.AuthorizationStart;
import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connection.TokenService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;

import org.springframework.stereotype.Component;

/**
 * Saving a connector and deciding whether the app must (re-)authorize: a new connector, a connection that is not
 * active, or scopes beyond those granted. Shared by the native and the Base44 surfaces.
 */
@Component
public class ConnectorSetup {

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final AuthorizationService authorizations;

	private final ProviderCatalog catalog;

	ConnectorSetup(ConnectorService connectors, ConnectionService connections, AuthorizationService authorizations,
			ProviderCatalog catalog) {
		this.connectors = connectors;
		this.connections = connections;
		this.authorizations = authorizations;
		this.catalog = catalog;
	}

	/** The saved connector, its connection status, and the started authorization when one is needed. */
	public record Result(Connector connector, String status, AuthorizationStart start, boolean alreadyAuthorized) {
	}

	Result save(String appId, String type, ConnectorRequest request) {
		return save(appId, type, request.scopes(), request.connectionConfig(), request.returnUrl());
	}

	public Result save(String appId, String type, List<String> scopes, java.util.Map<String, String> config,
			String returnUrl) {
		String checkedReturnUrl = this.authorizations.checkReturnUrl(returnUrl);
		Connector connector = this.connectors.save(appId, type, scopes, config);
		ConnectionView connection = this.connections.find(connector.getId(), TokenService.APP_WIDE).orElse(null);
		boolean oauth = this.catalog.require(type).authMode() == AuthMode.OAUTH2;
		boolean authorized = connection != null && connection.status() == ConnectionStatus.ACTIVE
				&& connection.grantedScopes().containsAll(connector.getScopes());
		AuthorizationStart start = (oauth && !authorized)
				? this.authorizations.start(connector, TokenService.APP_WIDE, checkedReturnUrl) : null;
		String status = (connection != null) ? connection.status().wireName() : ConnectionStatus.PENDING.wireName();
		return new Result(connector, status, start, authorized);
	}

	public ConnectorResponse describe(Connector connector) {
		return ConnectorResponse.of(connector,
				this.connections.find(connector.getId(), TokenService.APP_WIDE).orElse(null));
	}

	List<ConnectorResponse> describeAll(String appId) {
		return this.connectors.list(appId).stream().map(this::describe).toList();
	}

}
