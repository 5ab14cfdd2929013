package io.tokenbroker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

/** Actuator answers on the management port only; the API port knows nothing of it. */
class ManagementPortTests extends PostgresBrokerTestBase {

	@Test
	void readinessOnTheManagementPortChecksTheDatabaseAndTheKeys() {
		BrokerClient.Response readiness = managementClient().get("/actuator/health/readiness", null);
		assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
		JsonNode body = readiness.json();
		assertThat(body.get("status").asString()).isEqualTo("UP");
		assertThat(body.at("/components/db/status").asString()).isEqualTo("UP");
		assertThat(body.at("/components/keyMaterial/status").asString()).isEqualTo("UP");
		assertThat(body.at("/components/readinessState/status").asString()).isEqualTo("UP");
	}

	@Test
	void livenessOnTheManagementPortDoesNotDependOnTheDatabase() {
		BrokerClient.Response liveness = managementClient().get("/actuator/health/liveness", null);
		assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
		assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
		assertThat(liveness.json().get("components").propertyNames()).containsExactly("livenessState");
	}

	@Test
	void healthShowsNoDetails() {
		BrokerClient.Response health = managementClient().get("/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().at("/components/db").has("details")).isFalse();
		assertThat(health.json().at("/components/keyMaterial").has("details")).isFalse();
	}

	@Test
	void healthListsOnlyChecksThatCanFail() {
		BrokerClient.Response health = managementClient().get("/actuator/health", null);
		assertThat(health.json().get("components").propertyNames()).contains("db", "keyMaterial")
			.doesNotContain("discoveryComposite", "discoveryClient");
	}

	@Test
	void endpointsThatAreNotExposedStayClosedOnTheManagementPort() {
		String token = ServiceTokens.forApp("app-actuator-env");
		assertThat(managementClient().get("/actuator/env", null).status()).isEqualTo(401);
		assertThat(managementClient().get("/actuator/env", token).status()).isEqualTo(404);
		assertThat(managementClient().get("/actuator/heapdump", token).status()).isEqualTo(404);
	}

	@Test
	void endpointsOfTheManagementPortThatAreNotServedAreRefusedAsProblems() {
		for (String token : new String[] { null, ServiceTokens.forApp("app-actuator-links") }) {
			BrokerClient.Response links = managementClient().get("/actuator", token);
			assertThat(links.status()).isEqualTo(403);
			assertThat(links.contentType()).startsWith("application/problem+json");
			assertThat(links.json().get("code").asString()).isEqualTo("forbidden");
		}
	}

	@Test
	void anUnknownHealthComponentOrGroupIsANotFoundProblem() {
		for (String path : new String[] { "/actuator/health/nosuch", "/actuator/health/liveness/nosuch" }) {
			BrokerClient.Response unknown = managementClient().get(path, null);
			assertThat(unknown.status()).as(path).isEqualTo(404);
			assertThat(unknown.contentType()).as(path).startsWith("application/problem+json");
			assertThat(unknown.json().get("code").asString()).as(path).isEqualTo("not_found");
		}
	}

	@Test
	void apiPortServesNoActuatorEndpointWithoutToken() {
		for (String path : new String[] { "/actuator", "/actuator/health", "/actuator/health/readiness",
				"/actuator/prometheus", "/actuator/info" }) {
			BrokerClient.Response response = client().get(path, null);
			assertThat(response.status()).as(path).isEqualTo(401);
			assertThat(response.body()).as(path).doesNotContain("UP").doesNotContain("jvm_");
		}
	}

	@Test
	void apiPortServesNoActuatorEndpointEvenToAnAuthenticatedCaller() {
		String token = ServiceTokens.forApp("app-actuator-probe");
		for (String path : new String[] { "/actuator/health", "/actuator/prometheus" }) {
			BrokerClient.Response response = client().get(path, token);
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.body()).as(path).doesNotContain("UP").doesNotContain("jvm_");
		}
	}

	@Test
	void managementPortServesNoApi() {
		BrokerClient.Response response = managementClient().get("/integrations",
				ServiceTokens.forApp("app-management-port"));
		assertThat(response.status()).isEqualTo(404);
	}

}
