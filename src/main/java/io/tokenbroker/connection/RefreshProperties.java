package io.tokenbroker.connection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When and how tokens are refreshed.
 * @param skew a read that finds the token expiring within this refreshes it first
 * @param window the scheduler renews tokens this long before expiry
 * @param jitter up to this much earlier again, at random, so tokens issued together are not renewed together
 * @param lease how long a replica owns a refresh before another may take over (renewed while the call runs)
 * @param waitForOtherReplica how long a read waits for a refresh that another replica is doing
 * @param backoff first retry delay after a transient failure (doubles per failure, with jitter)
 * @param maxBackoff ceiling of that delay
 * @param schedulerEnabled whether this replica runs the background refresher
 * @param schedulerInterval pause between the background refresher's claims
 * @param batchSize connections claimed per round
 * @param maxConcurrentPerProvider concurrent refresh calls to one provider from one replica
 */
@ConfigurationProperties("broker.refresh")
public record RefreshProperties(@DefaultValue("60s") Duration skew, @DefaultValue("5m") Duration window,
		@DefaultValue("60s") Duration jitter, @DefaultValue("30s") Duration lease,
		@DefaultValue("20s") Duration waitForOtherReplica, @DefaultValue("30s") Duration backoff,
		@DefaultValue("30m") Duration maxBackoff, @DefaultValue("true") boolean schedulerEnabled,
		@DefaultValue("5s") Duration schedulerInterval, @DefaultValue("100") int batchSize,
		@DefaultValue("8") int maxConcurrentPerProvider) {
}
