package io.tokenbroker.catalog;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Loads {@code catalog/providers.yaml} and applies {@code broker.providers.<type>.*}: client credentials, overrides of
 * any catalog field, and whole custom providers.
 */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

	static final String CATALOG_RESOURCE = "catalog/providers.yaml";

	@Bean
	ProviderCatalog providerCatalog(ConfigurableEnvironment environment) throws IOException {
		Map<String, ProviderSpec> specs = new LinkedHashMap<>();
		for (ProviderSpec spec : loadCatalogFile()) {
			if (specs.putIfAbsent(spec.type(), spec) != null) {
				throw new IllegalStateException("Duplicate type '" + spec.type() + "' in " + CATALOG_RESOURCE);
			}
		}
		Map<String, ProviderSpec> overrides = Binder.get(environment)
			.bind("broker.providers", Bindable.mapOf(String.class, ProviderSpec.class))
			.orElse(Map.of());
		Map<String, ProviderSpec> operatorSpecs = new LinkedHashMap<>();
		overrides.forEach((key, override) -> {
			String type = matchType(specs, key, override);
			ProviderSpec base = specs.get(type);
			specs.put(type, (base != null) ? base.overriddenBy(override)
					: ProviderSpec.empty(type).overriddenBy(override));
			operatorSpecs.put(type, override);
		});
		Map<String, Provider> providers = new LinkedHashMap<>();
		specs.forEach((type, spec) -> providers.put(type,
				ProviderResolver.resolve(type, spec, operatorSpecs.get(type))));
		return new ProviderCatalog(providers);
	}

	static List<ProviderSpec> loadCatalogFile() throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(CATALOG_RESOURCE,
				new ClassPathResource(CATALOG_RESOURCE));
		return new Binder(ConfigurationPropertySources.from(sources))
			.bind("providers", Bindable.listOf(ProviderSpec.class))
			.orElse(List.of());
	}

	/**
	 * Spring's relaxed binding drops '_' from map keys ({@code google_analytics} arrives as {@code googleanalytics}),
	 * so an override finds its type by name without separators, or by an explicit {@code type}.
	 */
	private static String matchType(Map<String, ProviderSpec> specs, String key, ProviderSpec override) {
		if (override.type() != null) {
			return override.type();
		}
		if (specs.containsKey(key)) {
			return key;
		}
		String normalized = normalize(key);
		return specs.keySet().stream().filter((t) -> normalize(t).equals(normalized)).findFirst().orElse(key);
	}

	private static String normalize(String type) {
		return type.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
	}

}
