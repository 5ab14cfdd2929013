package io.tokenbroker.oauth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeouts of calls to providers' OAuth endpoints.
 * @param connectTimeout time to establish a connection
 * @param readTimeout time to wait for the answer
 */
@ConfigurationProperties("broker.oauth")
public record ProviderClientProperties(@DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("20s") Duration readTimeout) {
}
