package io.tokenbroker.compat;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.security.PublicRoute;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CLI's login endpoints, outside {@code /api}. The broker has no interactive login: a CLI without credentials
 * must fail at once (its device-code login would otherwise wait for a person), and token refresh is refused in the
 * OAuth error shape the CLI reads.
 */
@RestController
class CliLoginController {

	@PublicRoute
	@PostMapping("/oauth/device/code")
	Object deviceCode() {
		throw new BrokerException(HttpStatus.NOT_FOUND, ErrorCodes.DEVICE_LOGIN_NOT_SUPPORTED,
				"This broker has no interactive login. Give the CLI a workspace API key (BASE44_API_KEY=b44k_…, "
						+ "created with POST /api-keys) or a service-role JWT (BASE44_ACCESS_TOKEN and "
						+ "BASE44_REFRESH_TOKEN).");
	}

	@PublicRoute
	@PostMapping("/oauth/token")
	ResponseEntity<Map<String, String>> token() {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", "unsupported_grant_type");
		body.put("error_description", "This broker does not refresh CLI tokens. Use a workspace API key "
				+ "(BASE44_API_KEY), or a service-role JWT that outlives the CLI run.");
		return ResponseEntity.badRequest().header("Cache-Control", "no-store").body(body);
	}

}
