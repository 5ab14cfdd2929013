package io.tokenbroker.proxy;

import io.tokenbroker.connection.ConnectionRef;
import io.tokenbroker.security.AppUser;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The native proxy routes: a service calls the provider API with its app's connection of a type, or with an end
 * user's connection of a connector.
 */
@RestController
class ProxyController {

	private final ProxyService proxy;

	ProxyController(ProxyService proxy) {
		this.proxy = proxy;
	}

	@RequiresScope(Scopes.READ)
	@PostMapping("/connectors/{type}/proxy")
	ProxyResult proxy(ServiceCaller caller, @PathVariable String type,
			@RequestBody(required = false) ProxyRequest request) {
		return this.proxy.call(ConnectionRef.ofType(caller.appId(), type), request);
	}

	/** The same for the end user named by {@code On-Behalf-Of}, with their connection of the connector. */
	@RequiresScope(Scopes.READ)
	@PostMapping("/app-user-connectors/{connectorId}/proxy")
	ProxyResult proxyForUser(ServiceCaller caller, AppUser user, @PathVariable String connectorId,
			@RequestBody(required = false) ProxyRequest request) {
		return this.proxy.call(ConnectionRef.ofConnector(caller.appId(), connectorId).forEndUser(user.userId()),
				request);
	}

}
