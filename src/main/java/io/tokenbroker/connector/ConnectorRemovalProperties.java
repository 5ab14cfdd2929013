package io.tokenbroker.connector;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What happens to a removed connector.
 * @param removalGracePeriod how long a removed connector keeps its encrypted tokens and can be restored as it was
 * (POST /connectors/{type}/restore) before it is revoked at the provider and purged
 * @param purgeInterval how often each replica looks for removed connectors whose grace period is over
 */
@ConfigurationProperties("broker.connectors")
record ConnectorRemovalProperties(@DefaultValue("7d") Duration removalGracePeriod,
		@DefaultValue("5m") Duration purgeInterval) {
}
