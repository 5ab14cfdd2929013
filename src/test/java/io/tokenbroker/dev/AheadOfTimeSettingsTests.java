package io.tokenbroker.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DescriptiveResource;
import org.springframework.core.io.Resource;
import org.springframework.mock.env.MockEnvironment;

/** Settings that ahead-of-time processing decided: a start whose settings differ does not use its definitions. */
class AheadOfTimeSettingsTests {

	@AfterEach
	void forgetFlag() {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
	}

	@Test
	void sameSettingsAsTheProcessingDifferInNothing() throws Exception {
		assertThat(AheadOfTimeSettings.differing(production(), recorded(production()))).isEmpty();
	}

	@Test
	void devModeDiffers() throws Exception {
		MockEnvironment dev = production();
		dev.setActiveProfiles("dev");
		assertThat(AheadOfTimeSettings.differing(dev, recorded(production())))
			.containsExactly(AheadOfTimeSettings.PROFILES);
	}

	@Test
	void anOtlpEndpointDiffersButOtherPortNumbersDoNot() throws Exception {
		MockEnvironment traced = production()
			.withProperty("management.opentelemetry.tracing.export.otlp.endpoint", "http://collector:4318/v1/traces")
			.withProperty("server.port", "9080")
			.withProperty("management.server.port", "9081");
		assertThat(AheadOfTimeSettings.differing(traced, recorded(production())))
			.containsExactly("management.opentelemetry.tracing.export.otlp.endpoint");
	}

	@Test
	void actuatorOnTheApiPortDiffers() throws Exception {
		MockEnvironment samePort = production().withProperty("management.server.port", "8080");
		assertThat(AheadOfTimeSettings.differing(samePort, recorded(production())))
			.containsExactly(AheadOfTimeSettings.MANAGEMENT_PORT);
	}

	/** Under any watched setting, in any of Spring Boot's spellings: here a health indicator turned off. */
	@Test
	void anEnvironmentVariableUnderAWatchedSettingDiffers() throws Exception {
		MockEnvironment withoutDbCheck = production();
		withoutDbCheck.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("MANAGEMENT_HEALTH_DB_ENABLED", "false")));
		assertThat(AheadOfTimeSettings.differing(withoutDbCheck, recorded(production())))
			.containsExactly("management.health.db.enabled");
	}

	@Test
	void aSettingRemovedSinceTheProcessingDiffers() throws Exception {
		MockEnvironment allExposed = production().withProperty("management.endpoints.web.exposure.include", "*");
		assertThat(AheadOfTimeSettings.differing(production(), recorded(allExposed)))
			.containsExactly("management.endpoints.web.exposure.include");
	}

	@Test
	void nothingRecordedMeansNothingDiffers() {
		assertThat(AheadOfTimeSettings.differing(new MockEnvironment(), new DescriptiveResource("none"))).isEmpty();
	}

	@Test
	void aStartWithOtherSettingsUsesTheRegularRuntime() throws Exception {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
		MockEnvironment dev = new MockEnvironment();
		dev.setActiveProfiles("dev");
		check(production()).postProcessEnvironment(dev, new SpringApplication());
		assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
	}

	@Test
	void aStartWithTheProcessedSettingsKeepsTheDefinitions() throws Exception {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
		check(production()).postProcessEnvironment(production(), new SpringApplication());
		assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
	}

	/** What the container image's processing sees: production mode, Actuator on a port of its own. */
	private static MockEnvironment production() {
		MockEnvironment environment = new MockEnvironment().withProperty("management.server.port", "8081")
			.withProperty("management.endpoints.web.exposure.include", "health,info,prometheus");
		environment.setActiveProfiles("prod");
		return environment;
	}

	private static AheadOfTimeSettingsCheck check(MockEnvironment processedWith) throws Exception {
		Resource recorded = recorded(processedWith);
		return new AheadOfTimeSettingsCheck(new DeferredLogs(), (classLoader) -> recorded);
	}

	private static Resource recorded(MockEnvironment environment) throws Exception {
		return new ByteArrayResource(text(environment).getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String text(MockEnvironment environment) throws Exception {
		Properties values = AheadOfTimeSettings.read(environment);
		StringWriter out = new StringWriter();
		values.store(out, null);
		return out.toString();
	}

}
