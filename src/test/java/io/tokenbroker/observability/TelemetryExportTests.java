package io.tokenbroker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.LoggingDefaults;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A production broker with the two observability switches on: JSON logs ({@code logging.structured.format.console})
 * and an OTLP endpoint for traces ({@code management.opentelemetry.tracing.export.otlp.endpoint}), here a collector
 * stand-in that records what it receives.
 */
@ExtendWith(OutputCaptureExtension.class)
// Alone: it reads what the JVM logs, and a broker starting or stopping beside it would set the logging up again.
@Isolated
class TelemetryExportTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<Received> received = new CopyOnWriteArrayList<>();

	private static HttpServer collector;

	private static BrokerInstance broker;

	@BeforeAll
	static void start() throws IOException {
		collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		collector.createContext("/", (exchange) -> {
			received.add(new Received(exchange.getRequestURI().getPath(),
					exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		collector.start();
		String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces";
		broker = BrokerInstance.start(TestDatabase.newDatabase("telemetry"),
				Map.of("logging.structured.format.console", "ecs",
						"management.opentelemetry.tracing.export.otlp.endpoint", endpoint,
						"management.tracing.sampling.probability", "1.0",
						"management.opentelemetry.tracing.export.schedule-delay", "200ms"));
	}

	@AfterAll
	static void stop() {
		try {
			broker.close();
			collector.stop(0);
		}
		finally {
			LoggingDefaults.restore();
		}
	}

	@Test
	void structuredLoggingPrintsEveryLogEventAsOneJsonObjectPerLine(CapturedOutput output) {
		List<JsonNode> events = new ArrayList<>();
		List<String> notJson = new ArrayList<>();
		boolean brokerStarted = false;
		for (String line : output.getAll().split("\\R")) {
			// Lines before the broker's logging started are the test database's set-up, in the default format.
			brokerStarted |= line.startsWith("{");
			if (!brokerStarted || line.isBlank()) {
				continue;
			}
			try {
				events.add(JSON.readTree(line));
			}
			catch (JacksonException ex) {
				notJson.add(line);
			}
		}
		assertThat(notJson).as("console lines that are not JSON").isEmpty();
		assertThat(events).hasSizeGreaterThan(10).allSatisfy((event) -> {
			assertThat(event.has("@timestamp")).as(event.toString()).isTrue();
			assertThat(event.at("/log/level").isString()).as(event.toString()).isTrue();
			assertThat(event.has("message")).as(event.toString()).isTrue();
		});
		// Application startup, as Spring Boot reports it once the broker serves (the main class here is the test runner).
		assertThat(events).anySatisfy((event) -> assertThat(event.get("message").asString()).matches(
				"Started \\S+ in [0-9.]+ seconds.*"));
	}

	@Test
	void tracesAreExportedOverOtlpOnceAnEndpointIsSet() throws InterruptedException {
		assertThat(broker.client().get("/integrations", ServiceTokens.forApp("app-traced")).status()).isEqualTo(200);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (spansMentioning("/integrations").isEmpty() && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
		}
		assertThat(spansMentioning("/integrations")).as("OTLP requests received: %s", received)
			.isNotEmpty()
			.allSatisfy((request) -> {
				assertThat(request.path()).isEqualTo("/v1/traces");
				assertThat(request.contentType()).isEqualTo("application/x-protobuf");
			});
	}

	/** OTLP/HTTP requests whose protobuf body holds {@code text} (strings are UTF-8 in protobuf). */
	private static List<Received> spansMentioning(String text) {
		return received.stream()
			.filter((request) -> new String(request.body(), StandardCharsets.UTF_8).contains(text))
			.toList();
	}

	record Received(String path, String contentType, byte[] body) {

		@Override
		public String toString() {
			return this.path + " " + this.contentType + " (" + this.body.length + " bytes)";
		}

	}

}
