package io.tokenbroker.refresh;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The background refresher's own settings. They share the {@code broker.refresh} prefix with the refresh semantics
 * that stay in the connection module (skew, window, jitter, lease, backoff), so operators keep one block.
 * @param schedulerEnabled whether this replica runs the background refresher
 * @param schedulerInterval pause between the background refresher's claims when nothing more is due
 * @param batchSize connections claimed per round at most
 * @param maxConcurrent connections a replica's background refresher holds at once (claimed or refreshing)
 * @param maxConcurrentPerProvider concurrent refresh calls to one provider from one replica's background refresher
 */
@ConfigurationProperties("broker.refresh")
record RefreshSchedulerProperties(@DefaultValue("true") boolean schedulerEnabled,
		@DefaultValue("5s") Duration schedulerInterval, @DefaultValue("100") int batchSize,
		@DefaultValue("32") int maxConcurrent, @DefaultValue("8") int maxConcurrentPerProvider) {

	RefreshSchedulerProperties {
		if (schedulerInterval.isZero() || schedulerInterval.isNegative()) {
			throw new IllegalArgumentException("broker.refresh.scheduler-interval must be positive");
		}
		if (batchSize < 1 || maxConcurrent < 1 || maxConcurrentPerProvider < 1) {
			throw new IllegalArgumentException(
					"broker.refresh.batch-size, max-concurrent and max-concurrent-per-provider must be at least 1");
		}
	}

}
