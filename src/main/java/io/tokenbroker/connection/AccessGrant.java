package io.tokenbroker.connection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A usable token for a caller. {@code connectionConfig} is null when the connector has none (the wire format promises
 * an object or null, never a missing member).
 */
public record AccessGrant(String accessToken, Map<String, String> connectionConfig, Instant expiresAt,
		List<String> scopes, String integrationType) {

	@Override
	public String toString() {
		return "AccessGrant[" + this.integrationType + ", accessToken=****, expiresAt=" + this.expiresAt + "]";
	}

}
