package io.tokenbroker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class BrokerModeEnvironmentPostProcessorTests {

	@Test
	void prodGivenAsAnIndexedListIsNotTurnedIntoDevMode() {
		// How Spring Boot's test support passes @ActiveProfiles("prod").
		StandardEnvironment environment = environment(Map.of("spring.profiles.active[0]", "prod"));
		new BrokerModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getActiveProfiles()).doesNotContain("dev");
		assertThat(environment.containsProperty("broker.dev.generated-secrets")).isFalse();
	}

	@Test
	void prodGivenAsACommaSeparatedStringIsNotTurnedIntoDevMode() {
		StandardEnvironment environment = environment(Map.of("spring.profiles.active", "metrics, prod"));
		new BrokerModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getActiveProfiles()).doesNotContain("dev");
	}

	/**
	 * With ahead-of-time definitions (the container image), whose own post-processor has already made {@code prod}
	 * active: dev mode asked for starts without them, on its own profile.
	 */
	@Test
	void devModeStartsWithoutAheadOfTimeDefinitions(@TempDir Path dataDir) {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
		try {
			StandardEnvironment environment = environment(
					Map.of("spring.profiles.active", "dev", "broker.dev.data-dir", dataDir.toString()));
			environment.addActiveProfile("prod");
			new BrokerModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getActiveProfiles()).containsExactly("dev");
			assertThat(environment.containsProperty("broker.crypto.keyset-file")).isTrue();
			assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
		}
		finally {
			SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
		}
	}

	@Test
	void prodModeKeepsAheadOfTimeDefinitions() {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
		try {
			StandardEnvironment environment = environment(Map.of("spring.profiles.active", "prod"));
			environment.addActiveProfile("prod");
			new BrokerModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getActiveProfiles()).containsExactly("prod");
			assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
		}
		finally {
			SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
		}
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
