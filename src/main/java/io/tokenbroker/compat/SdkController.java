package io.tokenbroker.compat;

import java.util.Map;

import io.tokenbroker.authflow.AuthorizationService;
import io.tokenbroker.connection.ConnectionRef;
import io.tokenbroker.connection.Disconnector;
import io.tokenbroker.connection.TokenService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.proxy.ProxyRequest;
import io.tokenbroker.proxy.ProxyService;
import io.tokenbroker.security.AppUser;
import io.tokenbroker.security.EndUserRoute;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The routes of {@code @base44/sdk}'s connectors modules, translated onto the native services: the service-role
 * module ({@code base44.asServiceRole.connectors}) and the user module ({@code base44.connectors}).
 */
@RestController
@RequestMapping("/api/apps/{appId}")
class SdkController {

	private final TokenService tokens;

	private final ConnectorService connectors;

	private final AuthorizationService authorizations;

	private final Disconnector disconnector;

	private final ProxyService proxy;

	SdkController(TokenService tokens, ConnectorService connectors, AuthorizationService authorizations,
			Disconnector disconnector, ProxyService proxy) {
		this.tokens = tokens;
		this.connectors = connectors;
		this.authorizations = authorizations;
		this.disconnector = disconnector;
		this.proxy = proxy;
	}

	/** {@code getConnection(type)} and {@code getAccessToken(type)}: the app-wide connection of a type. */
	@RequiresScope(Scopes.READ)
	@GetMapping("/external-auth/tokens/{type}")
	TokenResponse token(ServiceCaller caller, @PathVariable String appId, @PathVariable String type) {
		AppGuard.check(appId, caller.appId());
		return TokenResponse.of(this.tokens.accessGrant(ConnectionRef.ofType(appId, type)));
	}

	/** {@code getWorkspaceConnection(connectorId)}: the app-wide connection of a connector named by id. */
	@RequiresScope(Scopes.READ)
	@GetMapping("/external-auth/tokens/connectors/{connectorId}")
	TokenResponse workspaceToken(ServiceCaller caller, @PathVariable String appId, @PathVariable String connectorId) {
		AppGuard.check(appId, caller.appId());
		return TokenResponse.of(this.tokens.accessGrant(ConnectionRef.ofConnector(appId, connectorId)));
	}

	/** {@code getCurrentAppUserConnection(connectorId)}: the end user named by {@code on-behalf-of}. */
	@RequiresScope(Scopes.READ)
	@GetMapping("/app-user-auth/connectors/{connectorId}/token")
	TokenResponse appUserToken(ServiceCaller caller, AppUser user, @PathVariable String appId,
			@PathVariable String connectorId) {
		AppGuard.check(appId, caller.appId());
		return TokenResponse
			.of(this.tokens.accessGrant(ConnectionRef.ofConnector(appId, connectorId).forEndUser(user.userId())));
	}

	/** {@code connectAppUser(connectorId)}: the end user (their own token) starts connecting. */
	@EndUserRoute
	@PostMapping("/app-user-auth/connectors/{connectorId}/initiate")
	Map<String, String> initiate(AppUser user, @PathVariable String appId, @PathVariable String connectorId,
			@RequestHeader(name = "X-Origin-URL", required = false) String originUrl) {
		AppGuard.check(appId, user.appId());
		// The SDK sends the page's address from a browser: it becomes the way back when the app allows it.
		String returnUrl = this.authorizations.originReturnUrl(appId, originUrl);
		return Map.of("redirect_url", this.authorizations
			.startForEndUser(require(appId, connectorId), user.userId(), user.label(), returnUrl)
			.redirectUrl()
			.toString());
	}

	/** {@code disconnectAppUser(connectorId)}: the end user disconnects their own account. */
	@EndUserRoute
	@DeleteMapping("/app-user-auth/connectors/{connectorId}")
	Map<String, Boolean> disconnect(AppUser user, @PathVariable String appId, @PathVariable String connectorId) {
		AppGuard.check(appId, user.appId());
		this.disconnector.deleteConnection(require(appId, connectorId), user.userId());
		return Map.of("success", true);
	}

	/** {@code callApi(type, request)}: the connector proxy, with the app-wide connection of the type. */
	@RequiresScope(Scopes.READ)
	@PostMapping("/connectors/{type}/call")
	CallResponse call(ServiceCaller caller, @PathVariable String appId, @PathVariable String type,
			@RequestBody(required = false) ProxyRequest request) {
		AppGuard.check(appId, caller.appId());
		return CallResponse.of(this.proxy.call(ConnectionRef.ofType(appId, type), request));
	}

	private Connector require(String appId, String connectorId) {
		return this.connectors.requireById(appId, connectorId);
	}

}
