package io.tokenbroker.connection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Metrics computed from the database.
 * @param connectionStatusInterval how old the {@code broker.connections} gauges may get: connections are counted per
 * status at most this often, whatever the scrape rate
 */
@ConfigurationProperties("broker.metrics")
record ConnectionMetricsProperties(@DefaultValue("30s") Duration connectionStatusInterval) {
}
