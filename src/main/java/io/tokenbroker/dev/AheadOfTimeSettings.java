package io.tokenbroker.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The settings whose conditions Spring's ahead-of-time processing (the container image's build, {@code -Paot})
 * decides once for every start: which beans exist depends on them, and the generated bean definitions no longer
 * look. The processing records their values; a start that would use the generated definitions compares them with its
 * own environment ({@link AheadOfTimeSettingsCheck}) and, when one differs, starts without the definitions, as the
 * plain jar does, so that every setting keeps its effect. Settings read by bean methods (nearly all {@code broker.*}
 * settings, the console's OIDC sign-in, the data source, ...) are read at every start either way and are not listed.
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
	 * The settings read by the conditions that decide which beans exist (Spring Boot's condition report of a
	 * production-mode start), each with everything under it: the broker's own, and those of the auto-configurations
	 * on the class path. An operator setting another value than the build's under any of them gets a start without
	 * the generated definitions, also where the setting would only matter at run time (such as
	 * {@code management.endpoint.health.show-details}): slower, never wrong.
	 */
	static final List<String> SETTINGS = List.of(
			// the broker's own
			"broker.bench.ceiling-endpoint",
			// Actuator: endpoints and their exposure and access, health indicators, info contributors, exporters
			"management.endpoint", "management.endpoints", "management.health", "management.info",
			"management.defaults", "management.prometheus", "management.tracing", "management.opentelemetry",
			"management.auditevents", "management.httpexchanges", "management.observations.annotations",
			"management.server.add-application-context-header",
			// web
			"server.forward-headers-strategy", "spring.mvc.formcontent", "spring.mvc.hiddenmethod",
			"spring.mvc.problemdetails", "spring.servlet.multipart.enabled", "spring.servlet.encoding.enabled",
			"spring.web.error.whitelabel.enabled", "spring.http.converters.preferred-json-mapper", "springdoc",
			// data
			"spring.datasource.type", "spring.datasource.jndi-name", "spring.jpa.open-in-view", "spring.flyway.enabled",
			"spring.data.jpa.repositories.enabled", "spring.sql.init.mode", "spring.jta.enabled",
			"spring.persistence.exceptiontranslation.enabled",
			// security
			"spring.security.oauth2.client.registration", "spring.security.oauth2.resourceserver",
			// threads, proxies, JMX, Spring Cloud (OpenFeign's HTTP clients, compression, circuit breaker, refresh;
			// not spring.cloud.client, the host's name and address, which Spring Cloud adds at every start)
			"spring.threads.virtual.enabled", "spring.aop", "spring.jmx.enabled", "spring.application.admin.enabled",
			"spring.cloud.openfeign", "spring.cloud.refresh", "spring.cloud.discovery", "spring.cloud.circuitbreaker",
			"spring.cloud.compatibility-verifier", "spring.cloud.features", "spring.cloud.mvc",
			"spring.cloud.service-registry", "spring.cloud.util");

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.getParentBeanFactory() != null) {
			return null; // a child context (Actuator's, a Feign client's): the application context records them
		}
		Properties recorded = read(beanFactory.getBean(Environment.class));
		return (generationContext, code) -> generationContext.getGeneratedFiles()
			.addResourceFile(RESOURCE, write(recorded));
	}

	/** What the environment says about each setting, by its canonical name, an unset one as the empty string. */
	static Properties read(Environment environment) {
		Properties values = new Properties();
		values.setProperty(PROFILES, String.join(",", environment.getActiveProfiles()));
		values.setProperty(MANAGEMENT_PORT, ManagementPortType.get(environment).name());
		List<ConfigurationPropertyName> watched = SETTINGS.stream().map(ConfigurationPropertyName::of).toList();
		Set<String> names = new TreeSet<>(SETTINGS);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter((name) -> watched.stream().anyMatch((w) -> w.equals(name) || w.isAncestorOf(name)))
					.forEach((name) -> names.add(name.toString()));
			}
		}
		for (String name : names) {
			values.setProperty(name, environment.getProperty(name, ""));
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
		Set<String> names = new TreeSet<>(current.stringPropertyNames());
		names.addAll(recorded.stringPropertyNames());
		List<String> differing = new ArrayList<>();
		for (String name : names) {
			if (!current.getProperty(name, "").equals(recorded.getProperty(name, ""))) {
				differing.add(name);
			}
		}
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
