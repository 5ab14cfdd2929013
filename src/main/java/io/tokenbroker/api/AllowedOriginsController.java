package io.tokenbroker.api;

import java.util.List;
import java.util.Map;

import io.tokenbroker.origins.AllowedOrigins;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The origins of the app's own pages (admin scope): they may call the end-user routes from a browser (CORS), and
 * end users are sent back to them after connecting. Added to the deployment's {@code broker.cors.allowed-origins}.
 */
@RestController
class AllowedOriginsController {

	private final AllowedOrigins origins;

	AllowedOriginsController(AllowedOrigins origins) {
		this.origins = origins;
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/allowed-origins")
	Map<String, List<String>> list(ServiceCaller caller) {
		return Map.of("origins", this.origins.forApp(caller.appId()));
	}

	/** Replaces the whole list; an empty list removes every origin of the app. */
	@RequiresScope(Scopes.ADMIN)
	@PutMapping("/allowed-origins")
	Map<String, List<String>> replace(ServiceCaller caller, @RequestBody(required = false) OriginsRequest request) {
		return Map.of("origins", this.origins.replace(caller.appId(), (request != null) ? request.origins() : null));
	}

	record OriginsRequest(List<String> origins) {
	}

}
