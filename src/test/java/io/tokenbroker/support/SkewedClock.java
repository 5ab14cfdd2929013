package io.tokenbroker.support;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Makes a broker's clock run {@code test.clock-offset} ahead (or behind, when negative), as on a host whose time
 * drifted: start the broker with that setting (e.g. {@code 90s}). Registered for every test broker in
 * META-INF/spring.factories; without the setting it does nothing.
 */
public final class SkewedClock implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	public static final String OFFSET = "test.clock-offset";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		String setting = context.getEnvironment().getProperty(OFFSET);
		if (setting == null) {
			return;
		}
		Duration offset = Duration.parse("PT" + setting.toUpperCase());
		context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return (bean instanceof Clock clock) ? Clock.offset(clock, offset) : bean;
			}
		});
	}

}
