package io.tokenbroker.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * A test class that starts brokers of its own (not Spring's cached test contexts) and spends most of its time waiting
 * on real timers: token lifetimes, leases, retries. The other classes run one after the other on one thread, on the
 * brokers the context cache shares; classes with this annotation run on the second thread beside them, one at a time,
 * and on both threads once the others are done (junit-platform.properties: two threads). The tests of a class still
 * run one after the other, in the class's order: its brokers are a resource of its own.
 * <p>
 * Only for classes that share nothing with the others but the database server: no {@link MockIdp} (its queues of
 * requests and identities are shared), no assertion on log output (starting or closing a broker sets the JVM's one
 * logging system up again).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(providers = RunsBesideSharedBrokers.OwnBrokers.class)
public @interface RunsBesideSharedBrokers {

	/** The brokers a class starts for itself: one lock per class, which makes its tests run one after the other. */
	final class OwnBrokers implements ResourceLocksProvider {

		@Override
		public Set<Lock> provideForClass(Class<?> testClass) {
			return Set.of(new Lock("brokers of " + testClass.getName()));
		}

	}

}
