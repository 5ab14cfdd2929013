package io.tokenbroker.dev;

import java.util.List;
import java.util.function.Function;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;

/**
 * A start asked to use Spring's ahead-of-time bean definitions ({@code -Dspring.aot.enabled=true}, as the container
 * image does) whose settings differ from those the definitions were generated with ({@link AheadOfTimeSettings}) –
 * dev mode, another Actuator exposure, an OTLP endpoint, ... – starts without them instead, as the plain jar does, and
 * says why. Runs once every configuration file is loaded; Spring Boot decides whether to use the definitions after
 * the environment is prepared.
 */
public class AheadOfTimeSettingsCheck implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	private final Function<ClassLoader, Resource> recordedSettings;

	public AheadOfTimeSettingsCheck(DeferredLogFactory logs) {
		this(logs, AheadOfTimeSettings::recorded);
	}

	AheadOfTimeSettingsCheck(DeferredLogFactory logs, Function<ClassLoader, Resource> recordedSettings) {
		this.log = logs.getLog(AheadOfTimeSettingsCheck.class);
		this.recordedSettings = recordedSettings;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		List<String> differing = AheadOfTimeSettings.differing(environment,
				this.recordedSettings.apply(application.getClassLoader()));
		if (!differing.isEmpty()) {
			SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
			this.log.info("Starting without the ahead-of-time bean definitions, which were generated for other values of "
					+ String.join(", ", differing) + " (a slower start, same behaviour)");
		}
	}

}
