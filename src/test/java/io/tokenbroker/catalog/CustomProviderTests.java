package io.tokenbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/**
 * A provider that exists only in configuration ({@code broker.providers.mockidp.*}, see {@link MockIdp}) behaves like
 * a built-in one, against a real OAuth server running in the test JVM.
 */
class CustomProviderTests extends ProviderStubTestBase {

	@Test
	void providerDefinedOnlyInConfigurationCompletesTheWholeFlow() {
		String token = ServiceTokens.forApp("app-custom-flow");
		BrokerClient.Response page = OAuthDance.connect(client(), token, MockIdp.TYPE,
				"{\"connectionConfig\":{\"subdomain\":\"acme\"}}");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Connected to Mock IdP");

		JsonNode connection = connection(MockIdp.TYPE, token);
		assertThat(connection.get("connectionConfig").get("subdomain").asString()).isEqualTo("acme");
		assertThat(connection.get("expiresAt").isNull()).isFalse();
		// The token is the authorization server's own: it accepts it.
		BrokerClient.Response userinfo = client().send(HttpRequest
			.newBuilder(URI.create(MockIdp.server().userInfoUrl(MockIdp.issuer()).toString()))
			.header("Authorization", "Bearer " + connection.get("accessToken").asString())
			.GET()
			.build());
		assertThat(userinfo.status()).as(userinfo.toString()).isEqualTo(200);
	}

	@Test
	void providerDefinedOnlyInConfigurationIsListedAsConfigured() {
		JsonNode integrations = client().get("/integrations", ServiceTokens.forApp("app-custom-list"))
			.json()
			.get("integrations");
		JsonNode mockidp = null;
		for (JsonNode integration : integrations) {
			if (integration.get("integration_type").asString().equals(MockIdp.TYPE)) {
				mockidp = integration;
			}
		}
		assertThat(mockidp).as("mockidp in " + integrations).isNotNull();
		assertThat(mockidp.get("display_name").asString()).isEqualTo("Mock IdP");
		assertThat(mockidp.get("description").asString()).isEqualTo("An in-process OAuth server");
		assertThat(mockidp.get("configured").asBoolean()).isTrue();
		assertThat(mockidp.get("auth_mode").asString()).isEqualTo("oauth2");
		JsonNode field = mockidp.get("connection_config_fields").get(0);
		assertThat(field.get("name").asString()).isEqualTo("subdomain");
		assertThat(field.get("validation_pattern").asString()).isEqualTo("^[a-z0-9-]+$");
	}

}
