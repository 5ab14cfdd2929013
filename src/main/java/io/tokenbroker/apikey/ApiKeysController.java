package io.tokenbroker.apikey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api-keys}: the app's workspace API keys ({@code connectors:admin}). */
@RestController
class ApiKeysController {

	private final ApiKeyService keys;

	ApiKeysController(ApiKeyService keys) {
		this.keys = keys;
	}

	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/api-keys")
	ResponseEntity<Map<String, Object>> create(ServiceCaller caller,
			@RequestBody(required = false) CreateRequest request) {
		ApiKeyService.Created created = this.keys.create(caller, (request != null) ? request.name() : null,
				(request != null) ? request.scopes() : null);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", created.key().id());
		body.put("key", created.plaintext());
		body.put("name", created.key().name());
		body.put("appId", created.key().appId());
		body.put("scopes", created.key().scopes());
		body.put("keyPrefix", created.key().keyPrefix());
		body.put("createdAt", created.key().createdAt());
		return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store").body(body);
	}

	@RequiresScope(Scopes.ADMIN)
	@GetMapping("/api-keys")
	Map<String, List<ApiKey>> list(ServiceCaller caller) {
		return Map.of("apiKeys", this.keys.list(caller.appId()));
	}

	@RequiresScope(Scopes.ADMIN)
	@DeleteMapping("/api-keys/{id}")
	ResponseEntity<Void> revoke(ServiceCaller caller, @PathVariable String id) {
		this.keys.revoke(caller.appId(), id);
		return ResponseEntity.noContent().build();
	}

	record CreateRequest(String name, List<String> scopes) {
	}

}
