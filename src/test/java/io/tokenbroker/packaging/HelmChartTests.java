package io.tokenbroker.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import static io.tokenbroker.packaging.HelmRenderer.CHART;
import static io.tokenbroker.packaging.Yamls.at;
import static io.tokenbroker.packaging.Yamls.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's files checked without Helm: metadata, defaults against the schema, and template references. Rendering
 * itself is covered by {@link HelmTemplateTests}.
 */
class HelmChartTests {

	private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

	private static Map<String, Object> chart;

	private static Map<String, Object> values;

	private static Map<String, Object> schema;

	private static Map<String, String> templates;

	@BeforeAll
	static void read() throws IOException {
		chart = Yamls.load(CHART.resolve("Chart.yaml"));
		values = Yamls.load(CHART.resolve("values.yaml"));
		schema = Yamls.load(CHART.resolve("values.schema.json")); // JSON is YAML
		templates = new LinkedHashMap<>();
		Path root = CHART.resolve("templates");
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
				templates.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
			}
		}
	}

	@Test
	void chartIsAHelm3ApplicationChartNamedAfterItsDirectory() {
		assertThat(chart).containsEntry("apiVersion", "v2")
			.containsEntry("type", "application")
			.containsEntry("name", CHART.getFileName().toString())
			.containsKey("description");
	}

	@Test
	void chartVersionIsSemanticVersion() {
		assertThat((String) chart.get("version")).matches(SEMVER);
	}

	@Test
	void appVersionIsTheProjectVersion() throws Exception {
		Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		String projectVersion = null;
		NodeList children = pom.getDocumentElement().getChildNodes(); // the project's own, not the parent's
		for (int i = 0; i < children.getLength(); i++) {
			if ("version".equals(children.item(i).getNodeName())) {
				projectVersion = children.item(i).getTextContent().strip();
			}
		}
		assertThat(projectVersion).isNotNull();
		assertThat(chart.get("appVersion")).isEqualTo(projectVersion.replace("-SNAPSHOT", ""));
	}

	@Test
	void chartHasEveryTemplateTheDeploymentNeeds() {
		assertThat(templates).containsKeys("_helpers.tpl", "NOTES.txt", "deployment.yaml", "service.yaml",
				"serviceaccount.yaml", "configmap.yaml", "hpa.yaml", "pdb.yaml", "servicemonitor.yaml",
				"networkpolicy.yaml", "ingress.yaml", "prometheusrule.yaml", "tests/readiness.yaml");
	}

	@Test
	void everyDefaultValueIsDeclaredInTheSchemaWithItsType() {
		List<String> problems = new ArrayList<>();
		checkAgainstSchema(values, schema, "", problems);
		assertThat(problems).isEmpty();
	}

	@Test
	void schemaRejectsUndeclaredTopLevelValuesSoTyposFail() {
		assertThat(schema).containsEntry("additionalProperties", false);
	}

	@Test
	void defaultsHoldNoSecrets() {
		assertThat(values).containsEntry("existingSecret", "").containsEntry("providers", Map.of());
		List<String> secretLooking = new ArrayList<>();
		collectSecretLookingValues(values, "", secretLooking);
		assertThat(secretLooking).isEmpty();
	}

	@Test
	void defaultsRunAsTheImageUser() {
		// The Dockerfile's USER 10001: the pod must not ask for another uid the image was not built for.
		assertThat(at(values, "podSecurityContext", "runAsUser")).isEqualTo(10001);
		assertThat(at(values, "podSecurityContext", "runAsGroup")).isEqualTo(10001);
	}

	@Test
	void everyValueTheTemplatesReadHasADefault() {
		// Helm renders a misspelt .Values path as empty instead of failing; a default proves the name exists.
		Pattern reference = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9_]+)+)");
		Set<String> missing = new TreeSet<>();
		templates.forEach((name, text) -> {
			Matcher matcher = reference.matcher(text);
			while (matcher.find()) {
				Object node = values;
				for (String key : matcher.group(1).substring(1).split("\\.")) {
					node = (node instanceof Map<?, ?> map && map.containsKey(key)) ? map.get(key) : null;
					if (node == null) {
						missing.add(name + ": .Values" + matcher.group(1));
						break;
					}
				}
			}
		});
		assertThat(missing).isEmpty();
	}

	@Test
	void everyIncludedTemplateIsDefined() {
		Set<String> defined = names(Pattern.compile("\\{\\{-?\\s*define\\s+\"([^\"]+)\""));
		Set<String> included = names(Pattern.compile("\\binclude\\s+\"([^\"]+)\""));
		assertThat(included).isNotEmpty();
		assertThat(defined).containsAll(included);
	}

	@Test
	void everyManifestTemplateDeclaresApiVersionAndKind() {
		templates.forEach((name, text) -> {
			if (name.endsWith(".yaml")) {
				assertThat(text).as(name).containsPattern("(?m)^apiVersion: \\S+$").containsPattern("(?m)^kind: \\S+$");
			}
		});
	}

	private static Set<String> names(Pattern pattern) {
		Set<String> names = new TreeSet<>();
		templates.values().forEach((text) -> {
			Matcher matcher = pattern.matcher(text);
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		});
		return names;
	}

	/**
	 * The subset of JSON Schema this chart uses: type, properties, additionalProperties, $ref and enum. Helm applies
	 * the full schema when rendering.
	 */
	private static void checkAgainstSchema(Object value, Map<String, Object> node, String path, List<String> problems) {
		Map<String, Object> resolved = resolve(node);
		Object type = resolved.get("type");
		if (type != null && !matchesType(value, type)) {
			problems.add(path + ": " + value + " is not " + type);
			return;
		}
		if (resolved.containsKey("enum") && !((List<?>) resolved.get("enum")).contains(value)) {
			problems.add(path + ": " + value + " is not one of " + resolved.get("enum"));
		}
		if (!(value instanceof Map<?, ?> object)) {
			return;
		}
		Map<?, ?> properties = (Map<?, ?>) resolved.getOrDefault("properties", Map.of());
		Object additional = resolved.get("additionalProperties");
		object.forEach((key, child) -> {
			String childPath = path + "/" + key;
			if (properties.containsKey(key)) {
				checkAgainstSchema(child, map(properties.get(key)), childPath, problems);
			}
			else if (Boolean.FALSE.equals(additional)) {
				problems.add(childPath + ": not declared in the schema");
			}
			else if (additional instanceof Map) {
				checkAgainstSchema(child, map(additional), childPath, problems);
			}
		});
	}

	private static Map<String, Object> resolve(Map<String, Object> node) {
		Object ref = node.get("$ref");
		if (ref == null) {
			return node;
		}
		assertThat((String) ref).startsWith("#/definitions/");
		return map(at(schema, "definitions", ((String) ref).substring("#/definitions/".length())));
	}

	private static boolean matchesType(Object value, Object type) {
		if (type instanceof List<?> types) {
			return types.stream().anyMatch((t) -> matchesType(value, t));
		}
		return switch ((String) type) {
			case "object" -> value instanceof Map;
			case "array" -> value instanceof List;
			case "string" -> value instanceof String;
			case "integer" -> value instanceof Integer || value instanceof Long;
			case "number" -> value instanceof Number;
			case "boolean" -> value instanceof Boolean;
			default -> false;
		};
	}

	private static void collectSecretLookingValues(Object node, String path, List<String> found) {
		if (node instanceof Map<?, ?> object) {
			object.forEach((key, child) -> {
				String childPath = path + "/" + key;
				String name = key.toString().toLowerCase();
				boolean secretName = name.contains("password") || name.contains("secret") || name.contains("keyset")
						|| name.contains("token");
				if (secretName && child instanceof String text && !text.isEmpty()) {
					found.add(childPath);
				}
				collectSecretLookingValues(child, childPath, found);
			});
		}
		else if (node instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				collectSecretLookingValues(list.get(i), path + "/" + i, found);
			}
		}
	}

}
