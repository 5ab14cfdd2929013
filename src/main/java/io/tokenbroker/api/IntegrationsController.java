package io.tokenbroker.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.tokenbroker.catalog.ConfigField;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /integrations}: the catalog, in the shape Base44's CLI lists ({@code connectors list-available}), plus
 * whether the operator configured each type.
 */
@RestController
class IntegrationsController {

	private final ProviderCatalog catalog;

	IntegrationsController(ProviderCatalog catalog) {
		this.catalog = catalog;
	}

	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/integrations")
	Map<String, List<Integration>> integrations() {
		return Map.of("integrations", this.catalog.all().stream().map(Integration::of).toList());
	}

	record Integration(@JsonProperty("integration_type") String integrationType,
			@JsonProperty("display_name") String displayName, String description,
			@JsonProperty("auth_mode") String authMode, boolean configured,
			@JsonProperty("default_scopes") List<String> defaultScopes,
			@JsonProperty("connection_config_fields") List<Field> connectionConfigFields) {

		static Integration of(Provider p) {
			return new Integration(p.type(), p.displayName(), p.description(),
					p.authMode().name().toLowerCase(java.util.Locale.ROOT), p.configured(), p.scopes(),
					p.connectionConfigFields().stream().map(Field::of).toList());
		}

	}

	record Field(String name, @JsonProperty("display_name") String displayName, String description,
			String placeholder, boolean required, @JsonProperty("default_value") String defaultValue,
			@JsonProperty("validation_pattern") String validationPattern,
			@JsonProperty("validation_error") String validationError) {

		static Field of(ConfigField f) {
			return new Field(f.name(), f.displayName(), f.description(), f.placeholder(), f.required(),
					f.defaultValue(), f.validationPattern(), f.validationError());
		}

	}

}
