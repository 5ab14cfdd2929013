package io.tokenbroker.support;

import java.lang.reflect.Method;

import org.springframework.mock.env.MockEnvironment;

/**
 * Virtual threads seen from code built for release 17: whether this JVM has them, and whether a thread is one (asked
 * by reflection, {@code Thread.isVirtual()} being a JDK 21 method).
 */
public final class VirtualThreads {

	private static final Method IS_VIRTUAL = isVirtualMethod();

	private VirtualThreads() {
	}

	/** Whether this JVM has virtual threads (21 and later), so that Spring's switch takes effect. */
	public static boolean supported() {
		return IS_VIRTUAL != null;
	}

	public static boolean isVirtual(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An environment with Spring's {@code spring.threads.virtual.enabled} on or off, as an operator would set it. */
	public static MockEnvironment environment(boolean enabled) {
		return new MockEnvironment().withProperty("spring.threads.virtual.enabled", Boolean.toString(enabled));
	}

	private static Method isVirtualMethod() {
		if (Runtime.version().feature() < 21) {
			return null;
		}
		try {
			return Thread.class.getMethod("isVirtual");
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
