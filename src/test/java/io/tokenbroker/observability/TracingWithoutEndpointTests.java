package io.tokenbroker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.PostgresBrokerTestBase;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/** Without an OTLP endpoint, requests are traced (trace ids in logs, exemplars) but nothing leaves the process. */
class TracingWithoutEndpointTests extends PostgresBrokerTestBase {

	@Autowired
	ApplicationContext context;

	@Test
	void requestsAreTracedThroughOpenTelemetry() {
		assertThat(this.context.getBean(Tracer.class).getClass().getName())
			.isEqualTo("io.micrometer.tracing.otel.bridge.OtelTracer");
	}

	@Test
	void noSpanExporterExistsWithoutAnEndpoint() {
		assertThat(this.context.getBeansOfType(SpanExporter.class)).isEmpty();
	}

	@Test
	void metricsAreNeverPushedOverOtlp() {
		// Prometheus scrapes them; an OTLP meter registry would push to localhost:4318 by default.
		assertThat(ClassUtils.isPresent("io.micrometer.registry.otlp.OtlpMeterRegistry", null)).isFalse();
	}

}
