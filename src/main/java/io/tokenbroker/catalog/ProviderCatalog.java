package io.tokenbroker.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

/** Every integration type the broker knows, immutable after startup. */
public class ProviderCatalog {

	private static final Pattern TYPE_SYNTAX = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private final Map<String, Provider> providers;

	ProviderCatalog(Map<String, Provider> providers) {
		this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
	}

	public Collection<Provider> all() {
		return this.providers.values();
	}

	public Optional<Provider> find(String type) {
		return Optional.ofNullable(this.providers.get(type));
	}

	/**
	 * The provider of {@code type}.
	 * @throws BrokerException 400 for a malformed type, 404 {@code unknown_integration} for an unknown one
	 */
	public Provider require(String type) {
		checkSyntax(type);
		Provider provider = this.providers.get(type);
		if (provider == null) {
			throw BrokerException.notFound(ErrorCodes.UNKNOWN_INTEGRATION,
					"Unknown integration type '" + type + "'. GET /integrations lists the known types.");
		}
		return provider;
	}

	/** Like {@link #require(String)}, and the operator must have configured client credentials. */
	public Provider requireConfigured(String type) {
		Provider provider = require(type);
		if (!provider.configured()) {
			throw BrokerException.conflict(ErrorCodes.PROVIDER_NOT_CONFIGURED, "Integration type '" + type
					+ "' has no OAuth client configured; the operator must set broker.providers." + type
					+ ".client-id and client-secret.");
		}
		return provider;
	}

	public static void checkSyntax(String type) {
		if (type == null || !TYPE_SYNTAX.matcher(type).matches()) {
			throw BrokerException
				.badRequest("An integration type is 1 to 64 letters, digits, '_' or '-'.");
		}
	}

}
