package io.tokenbroker.oauth;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;

import org.springframework.stereotype.Component;

/**
 * The known {@link TokenResponseQuirk}s by name. A catalog entry naming an unknown quirk stops the broker at startup.
 */
@Component
class TokenResponseQuirks {

	private final Map<String, TokenResponseQuirk> byName;

	TokenResponseQuirks(List<TokenResponseQuirk> quirks, ProviderCatalog catalog) {
		this.byName = quirks.stream()
			.collect(Collectors.toUnmodifiableMap(TokenResponseQuirk::name, Function.identity()));
		for (Provider provider : catalog.all()) {
			if (provider.quirk() != null && !this.byName.containsKey(provider.quirk())) {
				throw new IllegalStateException("Provider '" + provider.type() + "' names the unknown quirk '"
						+ provider.quirk() + "'; known quirks: " + this.byName.keySet());
			}
		}
	}

	/** The body as the provider's catalog paths expect it. */
	JsonNode normalize(Provider provider, JsonNode body) {
		TokenResponseQuirk quirk = (provider.quirk() != null) ? this.byName.get(provider.quirk()) : null;
		return (quirk != null) ? quirk.normalize(body) : body;
	}

}
