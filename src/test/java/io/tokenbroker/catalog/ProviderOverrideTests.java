package io.tokenbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** How {@code broker.providers.<type>.*} reaches the catalog, from configuration files and environment variables. */
class ProviderOverrideTests {

	@Test
	void environmentVariablesConfigureATypeWhoseNameHasUnderscores() throws IOException {
		// Relaxed binding drops '_' from map keys: GOOGLEANALYTICS must find google_analytics.
		ProviderCatalog catalog = catalog(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of("BROKER_PROVIDERS_GOOGLEANALYTICS_CLIENTID", "ga-client",
						"BROKER_PROVIDERS_GOOGLEANALYTICS_CLIENTSECRET", "ga-secret",
						"BROKER_PROVIDERS_MICROSOFTTEAMS_CLIENTID", "teams-client",
						"BROKER_PROVIDERS_MICROSOFTTEAMS_CLIENTSECRET", "teams-secret")));
		Provider analytics = catalog.require("google_analytics");
		assertThat(analytics.configured()).isTrue();
		assertThat(analytics.credentials().clientId()).isEqualTo("ga-client");
		assertThat(analytics.tokenUrl()).isEqualTo("https://oauth2.googleapis.com/token");
		assertThat(catalog.require("microsoft_teams").credentials().clientId()).isEqualTo("teams-client");
		assertThat(catalog.find("googleanalytics")).isEmpty();
	}

	@Test
	void overrideChangesOnlyWhatItNames() throws IOException {
		ProviderCatalog catalog = catalog(new MapPropertySource("config",
				Map.of("broker.providers.googlecalendar.scopes[0]", "https://www.googleapis.com/auth/calendar",
						"broker.providers.googlecalendar.client-id", "cal",
						"broker.providers.googlecalendar.client-secret", "cal-secret")));
		Provider calendar = catalog.require("googlecalendar");
		assertThat(calendar.scopes()).containsExactly("https://www.googleapis.com/auth/calendar");
		assertThat(calendar.authorizationParams()).containsEntry("access_type", "offline");
		assertThat(calendar.displayName()).isEqualTo("Google Calendar");
	}

	@Test
	void customProviderIsDefinedEntirelyByConfiguration() throws IOException {
		ProviderCatalog catalog = catalog(new MapPropertySource("config", Map.of(
				"broker.providers.acme-crm.display-name", "Acme CRM",
				"broker.providers.acme-crm.authorization-url", "https://login.acme.example/authorize",
				"broker.providers.acme-crm.token-url", "https://login.acme.example/token",
				"broker.providers.acme-crm.scopes", "crm.read,crm.write",
				"broker.providers.acme-crm.scope-separator", ",",
				"broker.providers.acme-crm.client-auth", "basic",
				"broker.providers.acme-crm.client-id", "acme",
				"broker.providers.acme-crm.client-secret", "acme-secret")));
		Provider acme = catalog.require("acme-crm");
		assertThat(acme.displayName()).isEqualTo("Acme CRM");
		assertThat(acme.joinScopes(acme.scopes())).isEqualTo("crm.read,crm.write");
		assertThat(acme.tokenRequest().clientAuth()).isEqualTo(ClientAuth.BASIC);
		assertThat(acme.pkce()).isTrue();
		assertThat(acme.configured()).isTrue();
	}

	@Test
	void operatorApiKeyOfTheWrongShapeStopsTheBrokerWithoutNamingTheKey() {
		assertThatIllegalStateException()
			.isThrownBy(() -> catalog(new MapPropertySource("config",
					Map.of("broker.providers.stripe.api-key", "pk_live_publishableNotSecret123"))))
			.withMessageContaining("api-key")
			.withMessageNotContaining("pk_live_publishableNotSecret123");
	}

	@Test
	void unknownAuthorizationParameterRenameStopsTheBroker() {
		assertThatIllegalStateException()
			.isThrownBy(() -> catalog(new MapPropertySource("config",
					Map.of("broker.providers.slack.authorization-param-names.scopes", "user_scope"))))
			.withMessageContaining("authorization-param-names");
	}

	@Test
	void aPlaceholderInTheHostOfATokenUrlNeedsAFieldWithAPattern() {
		assertThatIllegalStateException()
			.isThrownBy(() -> catalog(new MapPropertySource("config", Map.of(
					"broker.providers.acme.authorization-url", "https://login.acme.example/authorize",
					"broker.providers.acme.token-url", "https://{tenant}.acme.example/token",
					"broker.providers.acme.connection-config-fields[0].name", "tenant"))))
			.withMessageContaining("{tenant} in the host of token-url")
			.withMessageContaining("validation-pattern");
	}

	private static ProviderCatalog catalog(org.springframework.core.env.PropertySource<?> source) throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		if (environment.getPropertySources().contains(source.getName())) {
			environment.getPropertySources().replace(source.getName(), source);
		}
		else {
			environment.getPropertySources().addFirst(source);
		}
		return new CatalogConfiguration().providerCatalog(environment);
	}

}
