package io.tokenbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every entry of the built-in catalog file is complete, well-formed and safe. */
class CatalogFileTests {

	/** The integration types the product promises. */
	private static final Set<String> PRODUCT_TYPES = Set.of("airtable", "box", "clickup", "discord", "dropbox",
			"github", "gmail", "google_analytics", "googlebigquery", "googlecalendar", "google_classroom",
			"googledocs", "googledrive", "google_search_console", "googlesheets", "googleslides", "hubspot", "linear",
			"linkedin", "microsoft_teams", "one_drive", "notion", "outlook", "salesforce", "share_point", "slack",
			"slackbot", "splitwise", "tiktok", "typeform", "wix", "wrike", "stripe");

	/** Sample values for placeholders filled from a token response rather than a config field. */
	private static final Map<String, String> RESPONSE_SAMPLES = Map.of("instance_url",
			"https://acme.my.salesforce.com", "host", "www.wrike.com");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

	@Test
	void catalogHasExactlyTheProductsTypes() throws IOException {
		assertThat(CatalogConfiguration.loadCatalogFile()).extracting(ProviderSpec::type)
			.containsExactlyInAnyOrderElementsOf(PRODUCT_TYPES);
	}

	@Test
	void noTypeIsListedTwice() throws IOException {
		assertThat(CatalogConfiguration.loadCatalogFile()).extracting(ProviderSpec::type).doesNotHaveDuplicates();
	}

	@ParameterizedTest
	@MethodSource("entries")
	void entryHasTheFieldsEveryTypeNeeds(ProviderSpec spec) {
		assertThat(spec.displayName()).as("display-name").isNotBlank();
		assertThat(spec.description()).as("description").isNotBlank();
		assertThat(spec.apiBaseUrls()).as("api-base-urls").isNotEmpty();
		assertThat(spec.clientId()).as("no client credentials in the catalog").isNull();
		assertThat(spec.clientSecret()).as("no client credentials in the catalog").isNull();
		assertThat(spec.apiKey()).as("no API key in the catalog").isNull();
		assertThat(ProviderResolver.resolve(spec.type(), spec).type()).isEqualTo(spec.type());
	}

	@ParameterizedTest
	@MethodSource("oauthEntries")
	void oauthEntryStatesItsWholeTokenRequestStyle(ProviderSpec spec) {
		assertThat(spec.authorizationUrl()).as("authorization-url").isNotBlank();
		assertThat(spec.tokenUrl()).as("token-url").isNotBlank();
		assertThat(spec.scopes()).as("scopes (may be empty, but stated)").isNotNull();
		assertThat(spec.scopeSeparator()).as("scope-separator").isIn(" ", ",");
		assertThat(spec.tokenRequestBody()).as("token-request-body").isIn((Object[]) BodyFormat.values());
		assertThat(spec.clientAuth()).as("client-auth").isIn((Object[]) ClientAuth.values());
		assertThat(spec.pkce()).as("pkce").isNotNull();
	}

	@ParameterizedTest
	@MethodSource("entries")
	void urlsAreAbsoluteHttpsOnceTheirPlaceholdersAreFilled(ProviderSpec spec) {
		Provider provider = ProviderResolver.resolve(spec.type(), spec);
		List<String> urls = new ArrayList<>(provider.apiBaseUrls());
		if (provider.authMode() == AuthMode.OAUTH2) {
			urls.add(provider.authorizationUrl());
			urls.add(provider.tokenUrl());
		}
		if (provider.revocationUrl() != null) {
			urls.add(provider.revocationUrl());
		}
		Map<String, String> samples = sampleValues(provider);
		for (String template : urls) {
			URI url = URI.create(UrlTemplates.expand(template, samples));
			assertThat(url.getScheme()).as(template).isEqualTo("https");
			assertThat(url.getHost()).as(template).isNotBlank();
			assertThat(url.getRawQuery()).as(template + " carries no query").isNull();
		}
	}

	@ParameterizedTest
	@MethodSource("entries")
	void placeholdersInOAuthUrlsComeOnlyFromValidatedConfigFields(ProviderSpec spec) {
		// The token request carries the client secret: an app must not be able to point it at another host.
		Provider provider = ProviderResolver.resolve(spec.type(), spec);
		for (String template : new String[] { provider.authorizationUrl(), provider.tokenUrl(),
				provider.revocationUrl() }) {
			for (String name : placeholders(template)) {
				ConfigField field = provider.configField(name).orElse(null);
				assertThat(field).as(template + ": {" + name + "} must be a connection-config field").isNotNull();
				assertThat(field.validationPattern()).as("pattern of " + name).isNotNull();
				assertThat(field.accepts("attacker.example/x")).as(name + " accepts a path").isFalse();
				assertThat(field.accepts("a@attacker.example")).as(name + " accepts userinfo").isFalse();
			}
		}
	}

	@ParameterizedTest
	@MethodSource("entries")
	void validationPatternsCompileAndAcceptTheFieldsOwnDefaultAndPlaceholder(ProviderSpec spec) {
		Provider provider = ProviderResolver.resolve(spec.type(), spec);
		for (ConfigField field : provider.connectionConfigFields()) {
			assertThat(field.name()).matches("[a-z][a-z0-9_]*");
			assertThat(field.displayName()).isNotBlank();
			assertThat(field.description()).isNotBlank();
			if (field.validationPattern() != null) {
				Pattern.compile(field.validationPattern());
				assertThat(field.validationError()).as("validation-error of " + field.name()).isNotBlank();
			}
			if (field.defaultValue() != null) {
				assertThat(field.accepts(field.defaultValue())).as("default of " + field.name()).isTrue();
			}
			if (!field.placeholder().isEmpty()) {
				assertThat(field.accepts(field.placeholder())).as("placeholder of " + field.name()).isTrue();
			}
		}
	}

	@Test
	void sharePointSitePathAndMicrosoftTenantAreValidatedAsDocumented() throws IOException {
		Map<String, Provider> catalog = resolvedCatalog();
		ConfigField subdomain = catalog.get("share_point").configField("subdomain").orElseThrow();
		assertThat(subdomain.required()).isTrue();
		assertThat(subdomain.validationPattern()).isEqualTo("^[a-zA-Z0-9/_-]+$");
		for (String type : List.of("microsoft_teams", "one_drive", "outlook", "share_point")) {
			ConfigField tenant = catalog.get(type).configField("tenant").orElseThrow();
			assertThat(tenant.defaultValue()).as(type).isEqualTo("common");
			assertThat(catalog.get(type).tokenUrl()).as(type).contains("/{tenant}/");
		}
	}

	@Test
	void stripeIsAnApiKeyTypeWhoseKeysHaveStripesShape() throws IOException {
		Provider stripe = resolvedCatalog().get("stripe");
		assertThat(stripe.authMode()).isEqualTo(AuthMode.API_KEY);
		assertThat(stripe.apiKey().accepts("sk_test_4eC39HqLyjWDarjtT1zdp7dc")).isTrue();
		assertThat(stripe.apiKey().accepts("rk_live_51H8qCqKs2nB9x0aZbCdEfGhIjKlMnOpQr")).isTrue();
		assertThat(stripe.apiKey().accepts("pk_test_4eC39HqLyjWDarjtT1zdp7dc")).as("publishable key").isFalse();
		assertThat(stripe.apiKey().accepts("sk_test_4eC39Hq LyjWDarjtT1zdp7dc")).isFalse();
		assertThat(stripe.apiKey().accepts("sk_test_short")).isFalse();
	}

	static Stream<Named<ProviderSpec>> entries() throws IOException {
		return CatalogConfiguration.loadCatalogFile().stream().map((s) -> Named.of(s.type(), s));
	}

	static Stream<Named<ProviderSpec>> oauthEntries() throws IOException {
		return entries().filter((n) -> n.getPayload().authMode() != AuthMode.API_KEY);
	}

	private static Map<String, Provider> resolvedCatalog() throws IOException {
		Map<String, Provider> providers = new LinkedHashMap<>();
		CatalogConfiguration.loadCatalogFile()
			.forEach((s) -> providers.put(s.type(), ProviderResolver.resolve(s.type(), s)));
		return providers;
	}

	/** A config field's default or placeholder, or a realistic value a token response would supply. */
	private static Map<String, String> sampleValues(Provider provider) {
		Map<String, String> samples = new LinkedHashMap<>();
		RESPONSE_SAMPLES.forEach((key, value) -> {
			if (provider.connectionConfigFromResponse().containsKey(key)) {
				samples.put(key, value);
			}
		});
		for (ConfigField field : provider.connectionConfigFields()) {
			samples.put(field.name(), (field.defaultValue() != null) ? field.defaultValue() : field.placeholder());
		}
		return samples;
	}

	private static List<String> placeholders(String template) {
		List<String> names = new ArrayList<>();
		if (template != null) {
			Matcher m = PLACEHOLDER.matcher(template);
			while (m.find()) {
				names.add(m.group(1));
			}
		}
		return names;
	}

}
