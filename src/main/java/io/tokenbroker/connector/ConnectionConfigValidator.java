package io.tokenbroker.connector;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.catalog.ConfigField;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.http.HttpStatus;

/** Checks connection-config values against the catalog's fields and fills defaults. */
final class ConnectionConfigValidator {

	private static final int MAX_VALUE_LENGTH = 500;

	private ConnectionConfigValidator() {
	}

	static Map<String, String> validate(Provider provider, Map<String, String> given) {
		Map<String, String> values = new LinkedHashMap<>();
		for (Map.Entry<String, String> entry : given.entrySet()) {
			ConfigField field = provider.configField(entry.getKey())
				.orElseThrow(() -> invalid(entry.getKey(),
						"Integration type '" + provider.type() + "' has no connection-config field '"
								+ safeName(entry.getKey()) + "'."));
			String value = entry.getValue();
			if (value == null || value.isEmpty()) {
				continue;
			}
			if (value.length() > MAX_VALUE_LENGTH || !field.accepts(value)) {
				String why = (field.validationError() != null) ? field.validationError() : "invalid value";
				throw invalid(field.name(), "Connection config '" + field.name() + "': " + why);
			}
			values.put(field.name(), value);
		}
		for (ConfigField field : provider.connectionConfigFields()) {
			if (!values.containsKey(field.name())) {
				if (field.defaultValue() != null) {
					values.put(field.name(), field.defaultValue());
				}
				else if (field.required()) {
					throw invalid(field.name(), "Connection config '" + field.name() + "' is required for "
							+ provider.displayName() + ": " + field.description());
				}
			}
		}
		return values;
	}

	private static String safeName(String name) {
		return name.length() > 64 ? name.substring(0, 64) + "…" : name;
	}

	private static BrokerException invalid(String field, String detail) {
		return new BrokerException(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_CONNECTION_CONFIG, detail,
				Map.of("field", safeName(field)), null);
	}

}
