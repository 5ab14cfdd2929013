package io.tokenbroker.connection;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code broker.connections{status=...}}: connections of every app per status, one series per status (0
 * when none). The numbers come from one grouped count over the shared database, so every replica reports the same
 * totals: aggregate replicas with {@code max}, not {@code sum}.
 */
@Component
class ConnectionStatusGauges implements MeterBinder, DisposableBean {

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "connection-status-count");
		thread.setDaemon(true);
		return thread;
	});

	private final StatusCounts counts;

	ConnectionStatusGauges(JdbcClient jdbc, ConnectionMetricsProperties properties, Clock clock) {
		this.counts = new StatusCounts(() -> countByStatus(jdbc), properties.connectionStatusInterval(), clock,
				this.executor);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ConnectionStatus status : ConnectionStatus.values()) {
			Gauge.builder("broker.connections", this.counts, (counts) -> counts.get(status))
				.tag("status", status.wireName())
				.description("Connections in this status, across all apps")
				.register(registry);
		}
	}

	private static Map<ConnectionStatus, Long> countByStatus(JdbcClient jdbc) {
		Map<ConnectionStatus, Long> counts = new EnumMap<>(ConnectionStatus.class);
		jdbc.sql("select status, count(*) from connection group by status").query((rs) -> {
			for (ConnectionStatus status : ConnectionStatus.values()) {
				if (status.name().equals(rs.getString(1))) {
					counts.put(status, rs.getLong(2));
				}
			}
		});
		return counts;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
