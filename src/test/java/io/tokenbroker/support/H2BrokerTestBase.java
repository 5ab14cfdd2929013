package io.tokenbroker.support;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A broker in dev mode (embedded H2, sandbox provider), as {@code ./mvnw spring-boot:run} starts it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "broker.refresh.scheduler-enabled=false", "broker.dev.data-dir=target/test-dev-data",
				"broker.oauth.allowed-return-urls=https://app.example.com/done" })
@ActiveProfiles("dev")
public abstract class H2BrokerTestBase extends BrokerTestBase {

	@Value("${server.port}")
	protected int port;

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		registerCommon(registry);
		String url = "jdbc:h2:mem:broker" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
		registry.add("spring.datasource.url", () -> url);
	}

	protected BrokerClient client() {
		return client(this.port);
	}

}
