package io.tokenbroker.origins;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param allowedOrigins origins (and {@code https://*.example.com} patterns) whose pages may call the end-user routes
 * of every app, and be sent back to after connecting; each app can add its own through {@code PUT /allowed-origins}
 */
@ConfigurationProperties("broker.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

	public CorsProperties {
		for (String origin : allowedOrigins) {
			if (OriginRule.parse(origin.strip()).isEmpty()) {
				throw new IllegalArgumentException("broker.cors.allowed-origins: '" + origin + "' is not an origin "
						+ "(scheme://host[:port], or https://*.example.com)");
			}
		}
	}

}
