package io.tokenbroker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
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

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
