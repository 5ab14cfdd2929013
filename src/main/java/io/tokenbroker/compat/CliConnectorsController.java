package io.tokenbroker.compat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.tokenbroker.authflow.AuthorizationService;
import io.tokenbroker.authflow.ConnectorSetup;
import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.ConfigField;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The routes of the {@code base44} CLI's {@code connectors} commands (C1–C5 of the protocol), translated onto the
 * native services. Stripe is not an OAuth connector there: it has its own routes and never appears in these lists.
 */
@RestController
@RequestMapping("/api/apps/{appId}/external-auth")
class CliConnectorsController {

	private final ProviderCatalog catalog;

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final ConnectorSetup setup;

	private final AuthorizationService authorizations;

	CliConnectorsController(ProviderCatalog catalog, ConnectorService connectors, ConnectionService connections,
			ConnectorSetup setup, AuthorizationService authorizations) {
		this.catalog = catalog;
		this.connectors = connectors;
		this.connections = connections;
		this.setup = setup;
		this.authorizations = authorizations;
	}

	/** C1 {@code connectors list-available}: the OAuth types this broker can connect (client configured). */
	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/available-integrations")
	Map<String, List<Available>> available(ServiceCaller caller, @PathVariable String appId) {
		AppGuard.check(appId, caller.appId());
		return Map.of("integrations", this.catalog.all()
			.stream()
			.filter((p) -> p.authMode() == AuthMode.OAUTH2 && p.configured())
			.map(Available::of)
			.toList());
	}

	/** C2: the app's OAuth connectors with their app-wide connection's status. */
	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/list")
	Map<String, List<Listed>> list(ServiceCaller caller, @PathVariable String appId) {
		AppGuard.check(appId, caller.appId());
		return Map.of("integrations", this.connectors.list(appId)
			.stream()
			.filter((c) -> isOAuth(c.getIntegrationType()))
			.map((c) -> Listed.of(c, this.connections.findAppWide(c.getId()).orElse(null)))
			.toList());
	}

	/** C3 {@code initiate} and {@code push}: save the scopes, and start OAuth unless the grant already covers them. */
	@RequiresScope(Scopes.ADMIN)
	@PutMapping("/integrations/{type}")
	Map<String, Object> set(ServiceCaller caller, @PathVariable String appId, @PathVariable String type,
			@RequestBody(required = false) SetRequest request) {
		AppGuard.check(appId, caller.appId());
		// The CLI knows nothing of connection config: keep whatever the connector has.
		Map<String, String> config = this.connectors.find(appId, type).map(Connector::getConnectionConfig).orElse(null);
		ConnectorSetup.Result result = this.setup.save(appId, type, (request != null) ? request.scopes() : null,
				config, null);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("redirect_url", (result.start() != null) ? result.start().redirectUrl().toString() : null);
		body.put("connection_id", (result.start() != null) ? result.start().attemptId() : null);
		body.put("already_authorized", result.alreadyAuthorized());
		body.put("error", null);
		body.put("error_message", null);
		body.put("other_user_email", null);
		return body;
	}

	/** C4: how the authorization started by C3 ended; {@code connection_id} is the id C3 returned. */
	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/status")
	Map<String, String> status(ServiceCaller caller, @PathVariable String appId,
			@RequestParam(name = "integration_type", required = false) String type,
			@RequestParam(name = "connection_id") String connectionId) {
		AppGuard.check(appId, caller.appId());
		AuthorizationService.AttemptStatus status = this.authorizations.status(appId, connectionId)
			.orElseThrow(() -> BrokerException.notFound(ErrorCodes.NOT_FOUND, "No such authorization."));
		return Map.of("status", status.outcome());
	}

	/**
	 * C5: remove a connector (idempotent: an absent one is removed already), recoverably as on the native API: it
	 * can be restored within the grace period.
	 */
	@RequiresScope(Scopes.ADMIN)
	@DeleteMapping("/integrations/{type}/remove")
	Map<String, String> remove(ServiceCaller caller, @PathVariable String appId, @PathVariable String type) {
		AppGuard.check(appId, caller.appId());
		// Recoverable: a push from the wrong directory removes everything (a known CLI trap).
		this.connectors.find(appId, type).ifPresent(this.connectors::remove);
		return Map.of("status", "removed", "integration_type", type);
	}

	private boolean isOAuth(String type) {
		return this.catalog.find(type).map((p) -> p.authMode() == AuthMode.OAUTH2).orElse(false);
	}

	record SetRequest(List<String> scopes) {
	}

	record Available(@JsonProperty("integration_type") String integrationType,
			@JsonProperty("display_name") String displayName, String description,
			@JsonProperty("connection_config_fields") List<Field> connectionConfigFields) {

		static Available of(Provider p) {
			return new Available(p.type(), p.displayName(), p.description(),
					p.connectionConfigFields().stream().map(Field::of).toList());
		}

	}

	record Field(String name, @JsonProperty("display_name") String displayName, String description,
			String placeholder, boolean required, @JsonProperty("validation_pattern") String validationPattern,
			@JsonProperty("validation_error") String validationError) {

		static Field of(ConfigField f) {
			return new Field(f.name(), f.displayName(), f.description(), f.placeholder(), f.required(),
					f.validationPattern(), f.validationError());
		}

	}

	/** A C2 item. {@code user_email} is left out rather than null: the CLI's schema rejects null. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Listed(String id, @JsonProperty("integration_type") String integrationType, String status,
			List<String> scopes, @JsonProperty("user_email") String userEmail) {

		static Listed of(Connector connector, ConnectionView connection) {
			ConnectionStatus status = (connection != null) ? connection.status() : ConnectionStatus.PENDING;
			// The CLI knows active, expired and disconnected; a connection never authorized is not connected.
			String wire = switch (status) {
				case ACTIVE -> "active";
				case EXPIRED -> "expired";
				case PENDING, DISCONNECTED -> "disconnected";
			};
			return new Listed(connector.getId(), connector.getIntegrationType(), wire, connector.getScopes(),
					(connection != null) ? connection.accountEmail() : null);
		}

	}

}
