package io.tokenbroker.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static io.tokenbroker.packaging.Yamls.at;
import static io.tokenbroker.packaging.Yamls.listAt;
import static io.tokenbroker.packaging.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml and the .env.example it is used with. */
class DockerComposeTests {

	private static String composeText;

	private static Map<String, Object> compose;

	private static Map<String, String> envExample;

	@BeforeAll
	static void read() throws IOException {
		composeText = Files.readString(Path.of("docker-compose.yml"));
		compose = Yamls.load(composeText);
		envExample = readEnvFile(Path.of(".env.example"));
	}

	@Test
	void postgresImageIsPinnedToMajorVersion16() {
		assertThat(at(compose, "services", "postgres", "image")).isEqualTo("postgres:16");
	}

	@Test
	void postgresKeepsItsDataInANamedVolume() {
		List<Object> volumes = listAt(compose, "services", "postgres", "volumes");
		assertThat(volumes).containsExactly("postgres-data:/var/lib/postgresql/data");
		assertThat(mapAt(compose, "volumes")).containsKey("postgres-data");
	}

	@Test
	void postgresHealthcheckUsesPgIsready() {
		List<Object> test = listAt(compose, "services", "postgres", "healthcheck", "test");
		assertThat(test.get(0)).isEqualTo("CMD-SHELL");
		// $$ keeps Compose from substituting the variables; the container's shell does it.
		assertThat((String) test.get(1)).startsWith("pg_isready").contains("$$POSTGRES_USER", "$$POSTGRES_DB");
	}

	@Test
	void postgresGetsOnlyDatabaseSettingsNotTheBrokerSecrets() {
		Map<String, Object> postgres = mapAt(compose, "services", "postgres");
		assertThat(postgres).doesNotContainKey("env_file");
		assertThat(mapAt(postgres, "environment")).containsOnlyKeys("POSTGRES_DB", "POSTGRES_USER",
				"POSTGRES_PASSWORD_FILE");
		assertThat(listAt(postgres, "secrets")).containsExactly("db_password");
		assertThat(postgres).doesNotContainKey("ports");
	}

	@Test
	void brokerIsBuiltFromTheDockerfile() {
		assertThat(mapAt(compose, "services", "broker", "build")).containsEntry("context", ".")
			.containsEntry("dockerfile", "Dockerfile");
	}

	@Test
	void brokerStartsOnlyOnceThePostgresHealthcheckPasses() {
		assertThat(at(compose, "services", "broker", "depends_on", "postgres", "condition"))
			.isEqualTo("service_healthy");
	}

	@Test
	void brokerReadsItsSettingsFromDotEnv() {
		assertThat(at(compose, "services", "broker", "env_file")).isEqualTo(".env");
	}

	@Test
	void brokerRunsTheProdProfileAgainstTheComposeDatabase() {
		Map<String, Object> environment = mapAt(compose, "services", "broker", "environment");
		assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
			.containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/broker");
		assertThat(at(compose, "services", "postgres", "environment", "POSTGRES_DB")).isEqualTo("broker");
	}

	@Test
	void brokerRootFilesystemIsReadOnlyWithATmpfsTmp() {
		Map<String, Object> broker = mapAt(compose, "services", "broker");
		assertThat(broker).containsEntry("read_only", true);
		assertThat(listAt(broker, "tmpfs")).containsExactly("/tmp");
		assertThat(listAt(broker, "cap_drop")).containsExactly("ALL");
		assertThat(listAt(broker, "security_opt")).contains("no-new-privileges:true");
	}

	@Test
	void brokerPublishesTheApiPortAndTheManagementPortOnlyOnLoopbackByDefault() {
		assertThat(listAt(compose, "services", "broker", "ports"))
			.containsExactly("${BROKER_BIND_ADDRESS:-127.0.0.1}:8080:8080", "127.0.0.1:8081:8081");
		assertThat(envExample).containsEntry("BROKER_BIND_ADDRESS", "127.0.0.1");
	}

	@Test
	void brokerReadsItsKeysAndDatabasePasswordFromSecretFiles() {
		Map<String, Object> broker = mapAt(compose, "services", "broker");
		assertThat(listAt(broker, "secrets")).containsExactlyInAnyOrder(
				Map.of("source", "db_password", "target", "spring.datasource.password"),
				Map.of("source", "service_token_secret", "target", "broker.security.service-token.hmac-secret"),
				Map.of("source", "keyset", "target", "keyset.json"));
		assertThat(mapAt(broker, "environment"))
			.containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:/run/secrets/")
			.containsEntry("BROKER_CRYPTO_KEYSETFILE", "file:/run/secrets/keyset.json");
		assertThat(mapAt(compose, "secrets")).containsOnlyKeys("db_password", "keyset", "service_token_secret")
			.allSatisfy((name, secret) -> assertThat(at(secret, "file")).asString().startsWith("./secrets/"));
	}

	@Test
	void springReadsTheSecretFilesAsTheSettingsTheyAreNamedAfter(@TempDir Path secrets) throws IOException {
		Files.writeString(secrets.resolve("broker.security.service-token.hmac-secret"), "s3cret-from-a-file\n");
		Files.writeString(secrets.resolve("spring.datasource.password"), "db-password-from-a-file\n");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("compose", Map.of("spring.config.import",
					"optional:configtree:" + secrets.toAbsolutePath() + "/")));
		ConfigDataEnvironmentPostProcessor.applyTo(environment);
		assertThat(environment.getProperty("broker.security.service-token.hmac-secret")).isEqualTo("s3cret-from-a-file");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("db-password-from-a-file");
	}

	@Test
	void brokerMemoryLimitLeavesTheHeapTheImageSetsRoomBesideIt() throws IOException {
		// The image sizes the heap as 75% of the container's limit; the chart's default limit is the same.
		assertThat(at(compose, "services", "broker", "mem_limit")).isEqualTo("768m");
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("-XX:MaxRAMPercentage=75");
		assertThat(at(Yamls.load(HelmRenderer.CHART.resolve("values.yaml")), "resources", "limits", "memory"))
			.isEqualTo("768Mi");
	}

	@Test
	void brokerHealthcheckProbesReadinessOnTheManagementPort() {
		Map<String, Object> healthcheck = mapAt(compose, "services", "broker", "healthcheck");
		List<Object> test = listAt(healthcheck, "test");
		assertThat(test.get(0)).isEqualTo("CMD");
		assertThat(test).contains("curl", "-fsS", "http://127.0.0.1:8081/actuator/health/readiness");
		// Startup includes migrations; failing probes before then must not mark the container unhealthy.
		assertThat(healthcheck).containsEntry("start_period", "90s");
	}

	@Test
	void everyVariableComposeSubstitutesIsListedInEnvExample() {
		Set<String> substituted = new LinkedHashSet<>();
		Matcher matcher = Pattern.compile("(?<!\\$)\\$\\{([A-Z0-9_]+)").matcher(composeText);
		while (matcher.find()) {
			substituted.add(matcher.group(1));
		}
		assertThat(substituted).isNotEmpty();
		assertThat(envExample).containsKeys(substituted.toArray(String[]::new));
	}

	@Test
	void envExampleListsEverySettingTheBrokerNeedsInProductionBesideTheSecretFiles() {
		assertThat(envExample).containsKeys("SPRING_DATASOURCE_USERNAME", "BROKER_PUBLIC_URL",
				"BROKER_SECURITY_SERVICETOKEN_AUDIENCE",
				"BROKER_PROVIDERS_GOOGLECALENDAR_CLIENTID", "BROKER_PROVIDERS_GOOGLECALENDAR_CLIENTSECRET");
	}

	@Test
	void postgresAndTheBrokerUseTheSamePasswordFile() {
		// Postgres creates the user with the file's password; the broker logs in with the same file.
		assertThat(at(compose, "services", "postgres", "environment", "POSTGRES_PASSWORD_FILE"))
			.isEqualTo("/run/secrets/db_password");
		assertThat(listAt(compose, "services", "broker", "secrets"))
			.contains(Map.of("source", "db_password", "target", "spring.datasource.password"));
	}

	@Test
	void envExampleHoldsNoKeysOrPasswords() {
		// An example keyset or secret would end up protecting real tokens: they are files the operator generates.
		assertThat(envExample).doesNotContainKeys("BROKER_CRYPTO_KEYSET", "BROKER_SECURITY_SERVICETOKEN_HMACSECRET",
				"SPRING_DATASOURCE_PASSWORD", "POSTGRES_PASSWORD");
	}

	@Test
	void secretFilesStayOutOfGitAndOfTheImage() throws IOException {
		assertThat(Files.readAllLines(Path.of(".gitignore"))).contains("secrets/");
		assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("secrets/");
	}

	/** KEY=value lines as Compose reads them (comments and blank lines skipped, surrounding quotes removed). */
	private static Map<String, String> readEnvFile(Path path) throws IOException {
		Map<String, String> env = new LinkedHashMap<>();
		for (String line : Files.readAllLines(path)) {
			String trimmed = line.strip();
			int eq = trimmed.indexOf('=');
			if (trimmed.isEmpty() || trimmed.startsWith("#") || eq < 0) {
				continue;
			}
			String value = trimmed.substring(eq + 1);
			if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
					|| value.startsWith("\"") && value.endsWith("\""))) {
				value = value.substring(1, value.length() - 1);
			}
			env.put(trimmed.substring(0, eq), value);
		}
		return env;
	}

}
