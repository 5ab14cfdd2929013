package io.tokenbroker.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The settings whose conditions Spring's ahead-of-time processing (the container image's build, {@code -Paot})
 * decides once for every start: which beans exist depends on them, and the generated bean definitions no longer
 * look. The processing records their values; a start that would use the generated definitions compares them with its
 * own environment ({@link AheadOfTimeSettingsCheck}) and, when one differs, starts without the definitions, as the
 * plain jar does, so that every documented setting keeps its effect. Settings read by the broker's own bean methods
 * (nearly all {@code broker.*} settings, the console's OIDC sign-in) are decided at run time either way and are not
 * listed.
 */
public class AheadOfTimeSettings implements BeanFactoryInitializationAotProcessor {

	static final String RESOURCE = "META-INF/token-broker/aot-settings.properties";

	/** The active profiles, recorded under this key: dev mode has beans of its own and its own configuration file. */
	static final String PROFILES = "spring.profiles.active";

	/**
	 * Whether Actuator has a port of its own, the API's, or none ({@code management.server.port} against
	 * {@code server.port}): a port of its own is a second web server. Which port numbers they are does not matter.
	 */
	static final String MANAGEMENT_PORT = "management.server.port(type)";

	/**
	 * Settings an operator may change that a condition of the broker or of an auto-configuration reads: those of the
	 * README and the ones Spring Boot documents for what they switch on or off here.
	 */
	static final List<String> SETTINGS = List.of(
			// the broker's own
			"broker.bench.ceiling-endpoint",
			// tracing: the OTLP exporter exists only with an endpoint
			"management.opentelemetry.tracing.export.otlp.endpoint", "management.tracing.export.enabled",
			"management.tracing.enabled",
			// the OpenAPI document and Swagger UI
			"springdoc.api-docs.enabled", "springdoc.swagger-ui.enabled",
			// Actuator: which endpoints exist, and on which port
			"management.endpoints.web.exposure.include", "management.endpoints.web.exposure.exclude",
			"management.endpoints.access.default",
			// virtual threads change the task executors and Tomcat's threads
			"spring.threads.virtual.enabled");

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.getParentBeanFactory() != null) {
			return null; // a child context (Actuator's, a Feign client's): the application context records them
		}
		Properties recorded = read(beanFactory.getBean(Environment.class));
		return (generationContext, code) -> generationContext.getGeneratedFiles()
			.addResourceFile(RESOURCE, write(recorded));
	}

	/** What the environment says about each setting, an unset one as the empty string. */
	static Properties read(Environment environment) {
		Properties values = new Properties();
		values.setProperty(PROFILES, String.join(",", environment.getActiveProfiles()));
		values.setProperty(MANAGEMENT_PORT, ManagementPortType.get(environment).name());
		for (String setting : SETTINGS) {
			values.setProperty(setting, environment.getProperty(setting, ""));
		}
		return values;
	}

	/** The settings whose value differs from the recorded one; empty when nothing was recorded. */
	static List<String> differing(Environment environment, Resource recordedValues) {
		if (!recordedValues.exists()) {
			return List.of();
		}
		Properties recorded = new Properties();
		try (InputStream in = recordedValues.getInputStream()) {
			recorded.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Properties current = read(environment);
		List<String> differing = new ArrayList<>();
		for (String key : current.stringPropertyNames()) {
			if (!current.getProperty(key).equals(recorded.getProperty(key, ""))) {
				differing.add(key);
			}
		}
		differing.sort(null);
		return differing;
	}

	static Resource recorded(ClassLoader classLoader) {
		return new ClassPathResource(RESOURCE, classLoader);
	}

	private static String write(Properties values) {
		StringWriter out = new StringWriter();
		try {
			values.store(out, "Settings decided by ahead-of-time processing");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

}
