package io.tokenbroker.proxy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the connector proxy.
 * @param connectTimeout time to connect to the provider (TLS handshake included)
 * @param readTimeout how long the broker waits for the provider's whole answer once the request is on its way, and
 * the longest silence it tolerates while the answer streams in
 * @param maxRequestSize the largest proxy request accepted (the JSON envelope, so the provider body is a bit smaller)
 * @param maxResponseSize the largest provider answer relayed; a larger one is cut off and answered with 502
 * @param maxConnections connections open to providers at once, across all providers
 */
@ConfigurationProperties("broker.proxy")
record ProxyProperties(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
		@DefaultValue("1MB") DataSize maxRequestSize, @DefaultValue("5MB") DataSize maxResponseSize,
		@DefaultValue("64") int maxConnections) {
}
