package io.tokenbroker.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tokenbroker.connector.Ids;
import io.tokenbroker.crypto.Keysets;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the mode before configuration files load, so that {@code application-dev.yaml} or
 * {@code application-prod.yaml} applies: {@code prod} when asked for or when a datasource URL is configured, else
 * {@code dev}. In dev mode it also provides an encryption keyset and a JWT secret, generated once under the data
 * directory, at the lowest precedence so that any configured value wins.
 */
public class BrokerModeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String DEV = "dev";

	static final String PROD = "prod";

	@Override
	public int getOrder() {
		// Before ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10), which loads profile-specific files.
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		List<String> profiles = activeProfiles(environment);
		if (AotDetector.useGeneratedArtifacts()) {
			profiles = devModeWithoutAheadOfTimeDefinitions(environment, profiles);
		}
		if (profiles.contains(PROD)) {
			return;
		}
		if (!profiles.contains(DEV)) {
			if (environment.containsProperty("spring.datasource.url")) {
				environment.addActiveProfile(PROD);
				return;
			}
			environment.addActiveProfile(DEV);
		}
		provideDevSecrets(environment);
	}

	/**
	 * Ahead-of-time processing is done for production mode only (the container image's build), and its generated
	 * post-processor, which runs first, has just made {@code prod} active. When the start asks for dev mode (the
	 * profile, or neither profile nor a datasource URL), it starts without the generated definitions, as the plain
	 * jar does, and with the profiles it asked for.
	 */
	private static List<String> devModeWithoutAheadOfTimeDefinitions(ConfigurableEnvironment environment,
			List<String> profiles) {
		List<String> requested = new java.util.ArrayList<>();
		Binder.get(environment)
			.bind("spring.profiles.active", Bindable.listOf(String.class))
			.ifBound((list) -> list.stream().map(String::trim).forEach(requested::add));
		boolean dev = requested.contains(DEV)
				|| (!requested.contains(PROD) && !environment.containsProperty("spring.datasource.url"));
		if (!dev) {
			return profiles;
		}
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
		environment.setActiveProfiles(requested.toArray(String[]::new));
		return requested;
	}

	private static List<String> activeProfiles(ConfigurableEnvironment environment) {
		List<String> profiles = new java.util.ArrayList<>(Arrays.asList(environment.getActiveProfiles()));
		// Bound rather than read: test frameworks set the indexed form spring.profiles.active[0].
		Binder.get(environment)
			.bind("spring.profiles.active", Bindable.listOf(String.class))
			.ifBound((list) -> list.stream().map(String::trim).forEach(profiles::add));
		return profiles;
	}

	private static void provideDevSecrets(ConfigurableEnvironment environment) {
		Path dataDir = Path.of(environment.getProperty("broker.dev.data-dir", "data"));
		Map<String, Object> defaults = new LinkedHashMap<>();
		if (!environment.containsProperty("broker.crypto.keyset")
				&& !environment.containsProperty("broker.crypto.keyset-file")) {
			Path keyset = createOnce(dataDir.resolve("dev-keyset.json"), Keysets::generateJson);
			defaults.put("broker.crypto.keyset-file", "file:" + keyset.toAbsolutePath());
		}
		if (!environment.containsProperty("broker.security.service-token.hmac-secret")
				&& !environment.containsProperty("broker.security.service-token.jwk-set-uri")) {
			Path secret = createOnce(dataDir.resolve("dev-jwt-secret"), () -> Ids.randomToken(48));
			defaults.put("broker.security.service-token.hmac-secret", read(secret));
		}
		if (!environment.containsProperty("broker.security.user-token.hmac-secret")
				&& !environment.containsProperty("broker.security.user-token.jwk-set-uri")) {
			// A secret of its own: end-user tokens must never verify as service tokens.
			Path secret = createOnce(dataDir.resolve("dev-user-jwt-secret"), () -> Ids.randomToken(48));
			defaults.put("broker.security.user-token.hmac-secret", read(secret));
		}
		defaults.put("broker.dev.generated-secrets", !defaults.isEmpty());
		environment.getPropertySources().addLast(new MapPropertySource("brokerDevSecrets", defaults));
	}

	private static Path createOnce(Path file, java.util.function.Supplier<String> content) {
		try {
			if (!Files.exists(file)) {
				Files.createDirectories(file.getParent());
				Files.writeString(file, content.get(), StandardCharsets.UTF_8);
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write dev-mode secret " + file, ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
