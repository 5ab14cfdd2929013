package io.tokenbroker.webhook;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery settings (see README, "Webhooks").
 * @param deliveryEnabled whether this replica sends deliveries (every replica may; they never send the same one twice
 * at once)
 * @param concurrency deliveries this replica sends at once
 * @param pollInterval how often an idle replica looks for due deliveries (events committed on this replica wake it
 * at once)
 * @param lease how long a claimed delivery stays with its replica; a replica that dies leaves it to others after this
 * @param connectTimeout time to connect to an endpoint
 * @param readTimeout time an endpoint has to answer
 * @param initialBackoff delay before the first retry; doubled per attempt, with jitter
 * @param maxBackoff longest delay between two attempts
 * @param retryFor how long a delivery is retried before it is given up
 * @param failingAfter consecutive failed attempts after which an endpoint is marked failing
 * @param refreshFailingAfter consecutive failed refreshes after which {@code connection.refresh_failing} is sent
 * @param retention how long delivered and failed events are kept for the delivery log
 * @param allowedPrivateHosts hosts an endpoint URL may name although they are IP literals or resolve to private,
 * loopback or link-local addresses (empty: none)
 * @param maxEndpointsPerApp endpoints one app may register
 */
@ConfigurationProperties("broker.webhooks")
public record WebhookProperties(@DefaultValue("true") boolean deliveryEnabled, @DefaultValue("32") int concurrency,
		@DefaultValue("250ms") Duration pollInterval, @DefaultValue("60s") Duration lease,
		@DefaultValue("3s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("5s") Duration initialBackoff, @DefaultValue("1h") Duration maxBackoff,
		@DefaultValue("26h") Duration retryFor, @DefaultValue("5") int failingAfter,
		@DefaultValue("3") int refreshFailingAfter, @DefaultValue("7d") Duration retention,
		List<String> allowedPrivateHosts, @DefaultValue("20") int maxEndpointsPerApp) {

	public WebhookProperties {
		allowedPrivateHosts = (allowedPrivateHosts != null) ? List.copyOf(allowedPrivateHosts) : List.of();
	}

}
