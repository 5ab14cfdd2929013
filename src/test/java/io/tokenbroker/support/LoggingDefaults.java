package io.tokenbroker.support;

import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;

/**
 * Puts the JVM's logging back to Spring Boot's defaults. Starting a broker re-initialises the one logging system of the
 * JVM with that broker's settings, and closing it does not undo them: a test that starts a broker with DEBUG levels
 * or JSON output restores the defaults afterwards, so the test contexts that keep running log as before.
 */
public final class LoggingDefaults {

	private LoggingDefaults() {
	}

	public static void restore() {
		LoggingSystem system = LoggingSystem.get(LoggingDefaults.class.getClassLoader());
		system.cleanUp();
		system.beforeInitialize();
		system.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

}
