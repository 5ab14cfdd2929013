package io.tokenbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How the proxy authenticates to a provider's API, and which base URLs count as the operator's own. */
class ProviderApiAccessTests {

	@Test
	void catalogDefaultHeadersKeepTheirNames() throws Exception {
		ProviderSpec notion = CatalogConfiguration.loadCatalogFile()
			.stream()
			.filter((spec) -> spec.type().equals("notion"))
			.findFirst()
			.orElseThrow();

		Provider provider = ProviderResolver.resolve("notion", notion, null);

		assertThat(provider.api().headers()).containsEntry("Notion-Version", "2022-06-28");
		assertThat(provider.api().authHeader()).isEqualTo("Authorization");
		assertThat(provider.api().authorization("t0k")).isEqualTo("Bearer t0k");
	}

	@Test
	void emptyAuthSchemeSendsTheBareToken() {
		Provider provider = resolve(Map.of("api-base-url", "https://www.wixapis.com", "api-auth-scheme", ""), null);
		assertThat(provider.api().authorization("t0k")).isEqualTo("t0k");
	}

	@Test
	void onlyOperatorBaseUrlsWithoutPlaceholdersAreTheOperators() {
		ProviderSpec catalog = spec(Map.of("api-base-urls[0]", "https://api.example.com"));
		ProviderSpec operator = spec(Map.of("api-base-url", "http://10.0.0.5:8080/api", "api-base-urls[0]",
				"https://{subdomain}.example.com", "api-base-urls[1]", "https://api.example.com"));

		Provider provider = ProviderResolver.resolve("custom", catalog.overriddenBy(operator), operator);

		assertThat(provider.apiBaseUrls()).containsExactly("http://10.0.0.5:8080/api",
				"https://{subdomain}.example.com", "https://api.example.com");
		assertThat(provider.api().operatorBaseUrls()).containsExactlyInAnyOrder("http://10.0.0.5:8080/api",
				"https://api.example.com");
		assertThat(ProviderResolver.resolve("custom", catalog, null).api().operatorBaseUrls()).isEmpty();
	}

	@Test
	void invalidHeaderNameFailsAtStartup() {
		assertThatThrownBy(() -> resolve(Map.of("api-auth-header", "X Bad"), null))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("not a valid header name");
	}

	private static Provider resolve(Map<String, String> properties, ProviderSpec operator) {
		return ProviderResolver.resolve("custom", spec(properties), operator);
	}

	private static ProviderSpec spec(Map<String, String> properties) {
		Map<String, String> all = new LinkedHashMap<>();
		properties.forEach((name, value) -> all.put("p." + name, value));
		all.put("p.auth-mode", "api_key");
		return new Binder(new MapConfigurationPropertySource(all)).bind("p", Bindable.of(ProviderSpec.class)).get();
	}


}
