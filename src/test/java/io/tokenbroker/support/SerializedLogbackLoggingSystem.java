package io.tokenbroker.support;

import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;

/**
 * Spring Boot's Logback logging system, with the set-up and clean-up of the JVM's one Logback context done one at a
 * time. Brokers start and stop side by side in the test JVM (see {@link RunsBesideSharedBrokers}): every start sets
 * the context up again after a close, with all logging suppressed meanwhile, and every close marks it for set-up, so
 * two at once could leave the context configured twice, or suppressing everything. The test JVM uses this class
 * through the system property {@code org.springframework.boot.logging.LoggingSystem} (pom.xml); nothing else differs.
 */
public class SerializedLogbackLoggingSystem extends LogbackLoggingSystem {

	/** The Logback context is the JVM's, shared by every broker: so is the lock. */
	private static final Object LOGBACK_CONTEXT = new Object();

	public SerializedLogbackLoggingSystem(ClassLoader classLoader) {
		super(classLoader);
	}

	@Override
	public void beforeInitialize() {
		synchronized (LOGBACK_CONTEXT) {
			super.beforeInitialize();
		}
	}

	@Override
	public void initialize(LoggingInitializationContext initializationContext, String configLocation,
			LogFile logFile) {
		synchronized (LOGBACK_CONTEXT) {
			super.initialize(initializationContext, configLocation, logFile);
		}
	}

	@Override
	public void cleanUp() {
		synchronized (LOGBACK_CONTEXT) {
			super.cleanUp();
		}
	}

}
