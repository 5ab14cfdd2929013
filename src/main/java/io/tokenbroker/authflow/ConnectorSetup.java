package io.tokenbroker.authflow;

import java.util.List;
import java.util.Map;

import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.http.HttpStatus;
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

	public Result save(String appId, String type, List<String> scopes, Map<String, String> config,
			String returnUrl) {
		return save(appId, type, scopes, config, returnUrl, null);
	}

	/**
	 * Like {@link #save(String, String, List, Map, String)}, with the key of an API-key type. Every input is checked
	 * before anything changes.
	 */
	public Result save(String appId, String type, List<String> scopes, Map<String, String> config, String returnUrl,
			String apiKey) {
		String checkedReturnUrl = this.authorizations.checkReturnUrl(returnUrl);
		Provider provider = this.catalog.require(type);
		checkApiKey(provider, apiKey);
		Connector connector = this.connectors.save(appId, type, scopes, config);
		ConnectionView connection = this.connections.findAppWide(connector.getId()).orElse(null);
		if (provider.authMode() == AuthMode.API_KEY) {
			return saveApiKey(connector, provider, apiKey, connection);
		}
		boolean authorized = connection != null && connection.status() == ConnectionStatus.ACTIVE
				&& connection.grantedScopes().containsAll(connector.getScopes());
		AuthorizationStart start = (!authorized)
				? this.authorizations.start(connector, checkedReturnUrl) : null;
		return new Result(connector, status(connection), start, authorized);
	}

	/**
	 * Stores the app's key, or the operator's default key when the connector has no working key yet. Keeping an active
	 * key on a PUT without one makes the PUT idempotent.
	 */
	private Result saveApiKey(Connector connector, Provider provider, String apiKey, ConnectionView connection) {
		boolean active = connection != null && connection.status() == ConnectionStatus.ACTIVE;
		String key = (apiKey != null) ? apiKey : (active ? null : provider.apiKey().operatorKey());
		if (key != null) {
			this.connections.storeApiKey(connector, key);
			return new Result(connector, ConnectionStatus.ACTIVE.wireName(), null, true);
		}
		return new Result(connector, status(connection), null, active);
	}

	private static void checkApiKey(Provider provider, String apiKey) {
		if (apiKey == null) {
			return;
		}
		if (provider.authMode() != AuthMode.API_KEY) {
			throw BrokerException.badRequest(provider.displayName()
					+ " connects with OAuth; apiKey is only for API-key integrations such as Stripe.");
		}
		if (!provider.apiKey().accepts(apiKey)) {
			// The detail never repeats the key.
			throw new BrokerException(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_API_KEY,
					"The apiKey does not have the form of a " + provider.displayName() + " API key.");
		}
	}

	private static String status(ConnectionView connection) {
		return (connection != null) ? connection.status().wireName() : ConnectionStatus.PENDING.wireName();
	}

}
