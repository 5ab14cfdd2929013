package io.tokenbroker.api;

import io.tokenbroker.connector.AppProfiles;
import io.tokenbroker.connector.AppProfiles.AppProfile;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The calling app's profile (admin scope): the name its end users see on the connect page. */
@RestController
class AppProfileController {

	private final AppProfiles profiles;

	AppProfileController(AppProfiles profiles) {
		this.profiles = profiles;
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/app")
	AppProfile get(ServiceCaller caller) {
		return this.profiles.get(caller.appId());
	}

	/** Sets {@code displayName}; null or blank removes it, so the id is shown again. */
	@RequiresScope(Scopes.ADMIN)
	@PatchMapping("/app")
	AppProfile update(ServiceCaller caller, @RequestBody(required = false) JsonNode request) {
		// Read from the tree: a number or a list is refused rather than coerced into a name.
		JsonNode name = (request != null && request.isObject()) ? request.get("displayName") : null;
		if (name == null || !(name.isString() || name.isNull())) {
			throw BrokerException.badRequest("A JSON object such as {\"displayName\": \"Acme CRM\"} is required;"
					+ " displayName is a string, or null to remove it.");
		}
		return this.profiles.rename(caller.appId(), name.isNull() ? null : name.asString());
	}

}
