package io.tokenbroker.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tokenbroker.authflow.AuthorizationService;
import io.tokenbroker.authflow.AuthorizationStart;
import io.tokenbroker.connection.AccessGrant;
import io.tokenbroker.connection.ConnectionRef;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connection.Disconnector;
import io.tokenbroker.connection.TokenService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.security.AppUser;
import io.tokenbroker.security.EndUserRoute;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-end-user connections of an app's connectors, keyed by connector id. The end user always comes from a verified
 * token ({@link AppUser}), never from a path or body, so one user cannot name another's connection.
 */
@RestController
class AppUserConnectorsController {

	private static final int MAX_PAGE = 200;

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final AuthorizationService authorizations;

	private final TokenService tokens;

	private final Disconnector disconnector;

	AppUserConnectorsController(ConnectorService connectors, ConnectionService connections,
			AuthorizationService authorizations, TokenService tokens, Disconnector disconnector) {
		this.connectors = connectors;
		this.connections = connections;
		this.authorizations = authorizations;
		this.tokens = tokens;
		this.disconnector = disconnector;
	}

	/** The end user starts connecting their own account (end-user token). */
	@EndUserRoute
	@PostMapping("/app-user-connectors/{connectorId}/connect")
	Map<String, String> connect(AppUser user, @PathVariable String connectorId,
			@RequestBody(required = false) ConnectRequest request) {
		String returnUrl = this.authorizations.checkReturnUrl(user.appId(), (request != null) ? request.returnUrl()
				: null);
		Connector connector = require(user.appId(), connectorId);
		AuthorizationStart start = this.authorizations.startForEndUser(connector, user.userId(), user.label(),
				returnUrl);
		return Map.of("redirectUrl", start.redirectUrl().toString(), "authorizationId", start.attemptId(),
				"connectorId", connector.getId());
	}

	/** The end user's own connection, without its token: whether to show Connect or Disconnect in the app. */
	@EndUserRoute
	@GetMapping("/app-user-connectors/{connectorId}/status")
	Map<String, Object> status(AppUser user, @PathVariable String connectorId) {
		Connector connector = require(user.appId(), connectorId);
		ConnectionView view = this.connections.findForEndUser(connector.getId(), user.userId()).orElse(null);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("connectorId", connector.getId());
		body.put("integrationType", connector.getIntegrationType());
		body.put("status", (view != null) ? view.status().wireName() : "not_connected");
		body.put("accountEmail", (view != null) ? view.accountEmail() : null);
		body.put("grantedScopes", (view != null) ? view.grantedScopes() : List.of());
		return body;
	}

	/** A service reads the token of the end user named by {@code On-Behalf-Of}. */
	@RequiresScope(Scopes.READ)
	@GetMapping("/app-user-connectors/{connectorId}/connection")
	AccessGrant connection(ServiceCaller caller, AppUser user, @PathVariable String connectorId) {
		return this.tokens
			.accessGrant(ConnectionRef.ofConnector(caller.appId(), connectorId).forEndUser(user.userId()));
	}

	/** The end user disconnects their own account; idempotent. */
	@EndUserRoute
	@DeleteMapping("/app-user-connectors/{connectorId}/connection")
	ResponseEntity<Void> disconnect(AppUser user, @PathVariable String connectorId) {
		this.disconnector.deleteConnection(require(user.appId(), connectorId), user.userId());
		return ResponseEntity.noContent().build();
	}

	/** Admin view: per connector, how many end users connected and in which status. */
	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/app-user-connectors")
	Map<String, List<Map<String, Object>>> overview(ServiceCaller caller) {
		Map<String, Map<ConnectionStatus, Long>> counts = this.connections.countUsers(caller.appId());
		List<Map<String, Object>> items = this.connectors.list(caller.appId()).stream().map((connector) -> {
			Map<ConnectionStatus, Long> byStatus = counts.getOrDefault(connector.getId(), Map.of());
			Map<String, Long> statuses = new LinkedHashMap<>();
			for (ConnectionStatus status : ConnectionStatus.values()) {
				statuses.put(status.wireName(), byStatus.getOrDefault(status, 0L));
			}
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("connectorId", connector.getId());
			item.put("integrationType", connector.getIntegrationType());
			item.put("userConnections", statuses.values().stream().mapToLong(Long::longValue).sum());
			item.put("byStatus", statuses);
			return item;
		}).toList();
		return Map.of("connectors", items);
	}

	/** Admin view: a connector's end-user connections, without tokens, in pages ordered by user id. */
	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/app-user-connectors/{connectorId}/users")
	Map<String, Object> users(ServiceCaller caller, @PathVariable String connectorId,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String after) {
		if (limit < 1 || limit > MAX_PAGE) {
			throw BrokerException.badRequest("limit must be between 1 and " + MAX_PAGE + ".");
		}
		Connector connector = require(caller.appId(), connectorId);
		List<ConnectionView> page = this.connections.findUsers(connector.getId(), after, limit + 1);
		boolean more = page.size() > limit;
		List<ConnectionView> shown = more ? page.subList(0, limit) : page;
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("users", shown.stream().map(UserConnection::of).toList());
		body.put("nextCursor", more ? shown.get(shown.size() - 1).appUserId() : null);
		return body;
	}

	private Connector require(String appId, String connectorId) {
		return this.connectors.requireById(appId, connectorId);
	}

	record ConnectRequest(String returnUrl) {
	}

	/** One end user's connection as the admin view shows it. Never a token. */
	record UserConnection(String appUserId, String connectionId, String status, String statusReason,
			List<String> grantedScopes, String accountId, String accountEmail, java.time.Instant expiresAt,
			java.time.Instant authorizedAt, java.time.Instant lastRefreshedAt) {

		static UserConnection of(ConnectionView v) {
			return new UserConnection(v.appUserId(), v.id(), v.status().wireName(), v.statusReason(),
					v.grantedScopes(), v.accountId(), v.accountEmail(), v.expiresAt(), v.authorizedAt(),
					v.lastRefreshedAt());
		}

	}

}
