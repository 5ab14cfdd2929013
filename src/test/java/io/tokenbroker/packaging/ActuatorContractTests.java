package io.tokenbroker.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static io.tokenbroker.packaging.Yamls.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the image, compose file and chart rely on from the broker's own configuration, as Spring Boot resolves it for
 * the prod profile: the API on port 8080, probe and metrics endpoints on the management port 8081, the health groups
 * the probes ask, and a shutdown that fits the stop timeouts.
 */
class ActuatorContractTests {

	private static StandardEnvironment environment;

	@BeforeAll
	static void loadProdConfiguration() {
		environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("container", Map.of("spring.profiles.active", "prod")));
		ConfigDataEnvironmentPostProcessor.applyTo(environment);
	}

	@Test
	void healthProbeGroupsExistOutsideKubernetesForTheImageHealthcheck() {
		// Spring Boot only adds /actuator/health/readiness by itself when it detects Kubernetes.
		assertThat(environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class)).isTrue();
	}

	@Test
	void prometheusEndpointIsExposedForTheServiceMonitor() {
		String exposed = environment.getProperty("management.endpoints.web.exposure.include", "");
		assertThat(Arrays.stream(exposed.split(",")).map(String::strip)).contains("health", "prometheus");
	}

	@Test
	void actuatorIsServedOnManagementPort8081ApartFromTheApiOn8080() {
		assertThat(environment.getProperty("server.port", Integer.class, 8080)).isEqualTo(8080);
		assertThat(environment.getProperty("management.server.port", Integer.class)).isEqualTo(8081);
		assertThat(environment.getProperty("management.endpoints.web.base-path", "/actuator")).isEqualTo("/actuator");
	}

	@Test
	void readinessWaitsForTheDatabaseAndTheKeysButLivenessDoesNot() {
		assertThat(group("readiness")).containsExactlyInAnyOrder("readinessState", "db", "keyMaterial");
		assertThat(group("liveness")).containsExactly("livenessState");
	}

	@Test
	void healthAnswersShowNoDetails() {
		assertThat(environment.getProperty("management.endpoint.health.show-details")).isEqualTo("never");
	}

	private static List<String> group(String name) {
		return Binder.get(environment)
			.bind("management.endpoint.health.group." + name + ".include", Bindable.listOf(String.class))
			.orElse(List.of());
	}

	@Test
	void gracefulShutdownFinishesBeforeKubernetesOrComposeKillTheJvm() throws IOException {
		assertThat(environment.getProperty("server.shutdown", "graceful")).isEqualTo("graceful");
		Duration shutdown = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		int kubernetesGrace = (int) at(Yamls.load(Path.of("helm", "token-broker", "values.yaml")),
				"terminationGracePeriodSeconds");
		String composeGrace = (String) at(Yamls.load(Path.of("docker-compose.yml")), "services", "broker",
				"stop_grace_period");
		// Two phases may each take the whole timeout: the refreshes in flight, then the request drain.
		assertThat(shutdown.multipliedBy(2)).isLessThan(Duration.ofSeconds(kubernetesGrace));
		assertThat(shutdown.multipliedBy(2)).isLessThan(Duration.parse("PT" + composeGrace.toUpperCase()));
	}

	@Test
	void podsKeepServingThroughThePreStopPauseAndStillDrainBeforeKubernetesKillsThem() throws IOException {
		Duration shutdown = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		Map<String, Object> values = Yamls.load(Path.of("helm", "token-broker", "values.yaml"));
		int pause = (int) at(values, "preStopSleepSeconds");
		int grace = (int) at(values, "terminationGracePeriodSeconds");
		assertThat(pause).isPositive();
		assertThat(Duration.ofSeconds(grace)).isGreaterThan(shutdown.multipliedBy(2).plusSeconds(pause));
	}

	@Test
	void infoEndpointHasTheBuildVersionAndTheGitCommitToShow() throws IOException {
		// Spring Boot's info contributors show these files' contents at /actuator/info.
		Properties build = load("META-INF/build-info.properties");
		assertThat(build.getProperty("build.version")).isNotBlank();
		assertThat(Files.readString(Path.of("pom.xml"))).contains("<version>" + build.getProperty("build.version"));
		if (Files.exists(Path.of(".git"))) {
			assertThat(load("git.properties").getProperty("git.commit.id")).matches("[0-9a-f]{40}");
		}
	}

	private static Properties load(String resource) throws IOException {
		Properties properties = new Properties();
		try (var in = ActuatorContractTests.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			properties.load(in);
		}
		return properties;
	}

}
