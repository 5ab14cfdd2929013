package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.test.context.TestPropertySource;

// Production mode serves the document only when asked to.
@TestPropertySource(properties = "springdoc.api-docs.enabled=true")
class OpenApiDocumentTests extends PostgresBrokerTestBase {

	/** The committed document: what API consumers read and generate clients from. */
	static final Path COMMITTED = Path.of("docs", "openapi.json");

	static final String REGENERATE = "./mvnw test -Dtest=OpenApiDocumentTests -Dopenapi.write=true";

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@Test
	void openApiDocumentDescribesTheNativeApi() {
		BrokerClient.Response doc = client().get("/v3/api-docs", null);
		assertThat(doc.status()).isEqualTo(200);
		assertThat(doc.json().get("paths").has("/connectors/{type}/connection")).isTrue();
		assertThat(doc.json().get("paths").has("/connectors/{type}")).isTrue();
		assertThat(doc.json().at("/components/securitySchemes/serviceToken/scheme").asString()).isEqualTo("bearer");
	}

	@Test
	void documentDescribesOnlyTheProductionApi() {
		JsonNode paths = client().get("/v3/api-docs", null).json().get("paths");
		assertThat(paths.propertyNames()).noneMatch((path) -> path.startsWith("/dev/"));
		// The caller comes from the bearer token, never from a parameter.
		assertThat(paths.toString()).doesNotContain("\"caller\"");
	}

	@Test
	void swaggerUiIsNotServedInProductionMode() {
		for (String path : new String[] { "/swagger-ui.html", "/swagger-ui/index.html" }) {
			BrokerClient.Response response = client().get(path, null);
			assertThat(response.status()).as(path).isEqualTo(401);
			assertThat(response.body()).as(path).doesNotContain("swagger");
		}
		assertThat(client().get("/swagger-ui/index.html", ServiceTokens.forApp("app-swagger")).status())
			.isEqualTo(404);
	}

	@Test
	void committedDocumentMatchesTheRunningService() throws IOException {
		JsonNode served = normalised(client().get("/v3/api-docs", null).json());
		if (Boolean.getBoolean("openapi.write")) {
			Files.createDirectories(COMMITTED.getParent());
			Files.writeString(COMMITTED, JSON.writeValueAsString(served) + "\n");
		}
		assertThat(COMMITTED).as("%s is missing: generate it with %s", COMMITTED, REGENERATE).exists();
		JsonNode committed = JSON.readTree(Files.readString(COMMITTED));
		List<String> differences = new ArrayList<>();
		diff("", committed, served, differences);
		assertThat(differences)
			.as("%s differs from the running service's /v3/api-docs at the paths listed. If the API change is "
					+ "intended, regenerate the file with%n  %s%nand commit it.", COMMITTED, REGENERATE)
			.isEmpty();
	}

	/** Without what depends on where the service runs: the server URL carries the test's random port. */
	private static JsonNode normalised(JsonNode document) {
		ObjectNode copy = (ObjectNode) document.deepCopy();
		copy.remove("servers");
		return copy;
	}

	/** JSON pointers where the two documents differ (at most 20). */
	private static void diff(String pointer, JsonNode expected, JsonNode actual, List<String> differences) {
		if (differences.size() >= 20 || expected.equals(actual)) {
			return;
		}
		if (expected.isObject() && actual.isObject()) {
			Set<String> names = new LinkedHashSet<>(expected.propertyNames());
			names.addAll(actual.propertyNames());
			for (String name : names) {
				String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
				if (!expected.has(name)) {
					differences.add(child + " (only in the running service)");
				}
				else if (!actual.has(name)) {
					differences.add(child + " (only in the committed file)");
				}
				else {
					diff(child, expected.get(name), actual.get(name), differences);
				}
			}
		}
		else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
			for (int i = 0; i < expected.size(); i++) {
				diff(pointer + "/" + i, expected.get(i), actual.get(i), differences);
			}
		}
		else {
			differences.add(pointer + ": committed " + abbreviate(expected) + ", served " + abbreviate(actual));
		}
	}

	private static String abbreviate(JsonNode node) {
		String text = node.toString();
		return (text.length() > 80) ? text.substring(0, 77) + "..." : text;
	}

}
