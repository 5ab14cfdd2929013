package io.tokenbroker.support;

import java.time.Clock;
import java.time.Instant;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives a broker a {@link MutableClock} that stands still until the test moves it, started at the current time: start
 * the broker with {@code test.clock=manual} and take the clock back with {@code context.getBean(Clock.class)}. Only
 * what the broker computes with its clock moves (due times, expiries of received tokens); the database's time, the
 * providers' and JWT validation keep running on their own. Registered for every test broker in
 * META-INF/spring.factories; without the setting it does nothing.
 */
public final class ManualClock implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	public static final String SETTING = "test.clock";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (!"manual".equals(context.getEnvironment().getProperty(SETTING))) {
			return;
		}
		MutableClock manual = new MutableClock(Instant.now());
		context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return (bean instanceof Clock) ? manual : bean;
			}
		});
	}

}
