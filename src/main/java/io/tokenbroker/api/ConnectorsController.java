package io.tokenbroker.api;

import java.util.List;
import java.util.Map;

import io.tokenbroker.authflow.AuthorizationService;
import io.tokenbroker.authflow.AuthorizationStart;
import io.tokenbroker.authflow.ConnectorSetup;
import io.tokenbroker.connection.AccessGrant;
import io.tokenbroker.connection.ConnectionRef;
import io.tokenbroker.connection.Disconnector;
import io.tokenbroker.connection.TokenService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.security.AnyServiceCaller;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The native connector API. The app is always the caller's; scopes are enforced by the security filter chain. */
@RestController
class ConnectorsController {

	private final ConnectorSetup setup;

	private final ConnectorDescriptions descriptions;

	private final ConnectorService connectors;

	private final AuthorizationService authorizations;

	private final TokenService tokens;

	private final Disconnector disconnector;

	ConnectorsController(ConnectorSetup setup, ConnectorDescriptions descriptions, ConnectorService connectors,
			AuthorizationService authorizations, TokenService tokens, Disconnector disconnector) {
		this.setup = setup;
		this.descriptions = descriptions;
		this.connectors = connectors;
		this.authorizations = authorizations;
		this.tokens = tokens;
		this.disconnector = disconnector;
	}

	@RequiresScope(Scopes.ADMIN)
	@PutMapping("/connectors/{type}")
	Map<String, Object> save(ServiceCaller caller, @PathVariable String type,
			@RequestBody(required = false) ConnectorRequest request) {
		ConnectorRequest body = (request != null) ? request : ConnectorRequest.EMPTY;
		ConnectorSetup.Result result = this.setup.save(caller.appId(), type, body.scopes(), body.connectionConfig(),
				body.returnUrl(), body.apiKey());
		var answer = new java.util.LinkedHashMap<String, Object>();
		answer.put("connectorId", result.connector().getId());
		answer.put("status", result.status());
		answer.put("redirectUrl", (result.start() != null) ? result.start().redirectUrl().toString() : null);
		answer.put("authorizationId", (result.start() != null) ? result.start().attemptId() : null);
		return answer;
	}

	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/connectors")
	Map<String, List<ConnectorResponse>> list(ServiceCaller caller) {
		return Map.of("connectors", this.descriptions.describeAll(caller.appId()));
	}

	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/connectors/{type}")
	ConnectorResponse get(ServiceCaller caller, @PathVariable String type) {
		return this.descriptions.describe(this.connectors.require(caller.appId(), type));
	}

	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/connectors/{type}/authorize")
	Map<String, String> authorize(ServiceCaller caller, @PathVariable String type,
			@RequestBody(required = false) AuthorizeRequest request) {
		Connector connector = this.connectors.require(caller.appId(), type);
		AuthorizationStart start = this.authorizations.start(connector,
				(request != null) ? request.returnUrl() : null);
		return Map.of("connectorId", connector.getId(), "authorizationId", start.attemptId(), "redirectUrl",
				start.redirectUrl().toString());
	}

	@AnyServiceCaller
	@GetMapping("/authorizations/{id}")
	AuthorizationService.AttemptStatus authorization(ServiceCaller caller, @PathVariable String id) {
		return this.authorizations.status(caller.appId(), id)
			.orElseThrow(() -> BrokerException.notFound(ErrorCodes.NOT_FOUND, "No such authorization."));
	}

	/**
	 * Removes the connector recoverably (restore within the grace period), or with {@code purge=true} at once: its
	 * grants are then revoked and its tokens deleted, also for a connector removed earlier.
	 */
	@RequiresScope(Scopes.ADMIN)
	@DeleteMapping("/connectors/{type}")
	ResponseEntity<Void> delete(ServiceCaller caller, @PathVariable String type,
			@RequestParam(defaultValue = "false") boolean purge) {
		if (purge) {
			Connector connector = this.connectors.find(caller.appId(), type)
				.or(() -> this.connectors.findRemoved(caller.appId(), type))
				.orElseThrow(() -> ConnectorService.notFound(type));
			this.disconnector.deleteConnector(connector);
		}
		else {
			this.connectors.remove(this.connectors.require(caller.appId(), type));
		}
		return ResponseEntity.noContent().build();
	}

	/** Brings back a connector removed within its grace period, with its connections as they were. */
	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/connectors/{type}/restore")
	ConnectorResponse restore(ServiceCaller caller, @PathVariable String type) {
		return this.descriptions.describe(this.connectors.restore(caller.appId(), type));
	}

	@RequiresScope(Scopes.READ)
	@GetMapping("/connectors/{type}/connection")
	AccessGrant connection(ServiceCaller caller, @PathVariable String type) {
		return this.tokens.accessGrant(ConnectionRef.ofType(caller.appId(), type));
	}

	record AuthorizeRequest(String returnUrl) {
	}

}
