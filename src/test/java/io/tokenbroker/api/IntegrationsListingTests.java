package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.ProviderStubTestBase;
import io.tokenbroker.support.ServiceTokens;

/** {@code GET /integrations} in the shape the Base44 CLI's {@code connectors list-available} validates. */
class IntegrationsListingTests extends ProviderStubTestBase {

	@Test
	void everyIntegrationHasTheMembersTheCliRequires() {
		for (JsonNode integration : integrations().values()) {
			String type = integration.get("integration_type").asString();
			assertThat(type).isNotEmpty();
			assertThat(integration.get("display_name").isString()).as(type).isTrue();
			assertThat(integration.get("description").isString()).as(type).isTrue();
			assertThat(integration.get("connection_config_fields").isArray()).as(type).isTrue();
			for (JsonNode field : integration.get("connection_config_fields")) {
				for (String member : new String[] { "name", "display_name", "description", "placeholder" }) {
					assertThat(field.get(member).isString()).as(type + "." + member).isTrue();
				}
				assertThat(field.get("required").isBoolean()).as(type + ".required").isTrue();
				for (String member : new String[] { "validation_pattern", "validation_error" }) {
					assertThat(field.get(member) == null || field.get(member).isNull() || field.get(member).isString())
						.as(type + "." + member)
						.isTrue();
				}
			}
		}
	}

	@Test
	void listsEveryCatalogTypeWithItsConfigFields() {
		Map<String, JsonNode> integrations = integrations();
		assertThat(integrations).containsKeys("airtable", "googlecalendar", "share_point", "slack", "slackbot",
				"stripe", "wix", "wrike");
		JsonNode sharePoint = integrations.get("share_point");
		assertThat(sharePoint.get("display_name").asString()).isEqualTo("SharePoint");
		assertThat(sharePoint.get("connection_config_fields").findValuesAsString("name"))
			.containsExactly("tenant", "subdomain");
		JsonNode subdomain = sharePoint.get("connection_config_fields").get(1);
		assertThat(subdomain.get("required").asBoolean()).isTrue();
		assertThat(subdomain.get("validation_pattern").asString()).isEqualTo("^[a-zA-Z0-9/_-]+$");
		assertThat(integrations.get("box").get("connection_config_fields").isEmpty()).isTrue();
		assertThat(integrations.get("stripe").get("auth_mode").asString()).isEqualTo("api_key");
	}

	@Test
	void neverShowsClientSecretsOrApiKeys() {
		BrokerClient.Response response = client().get("/integrations", ServiceTokens.forApp("app-list-secrets"));
		assertThat(response.body()).doesNotContain(CLIENT_SECRET).doesNotContain(OPERATOR_STRIPE_KEY);
	}

	private Map<String, JsonNode> integrations() {
		BrokerClient.Response response = client().get("/integrations", ServiceTokens.forApp("app-list"));
		assertThat(response.status()).isEqualTo(200);
		Map<String, JsonNode> byType = new HashMap<>();
		response.json().get("integrations").forEach((i) -> byType.put(i.get("integration_type").asString(), i));
		return byType;
	}

}
