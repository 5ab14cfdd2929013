package io.tokenbroker.compat;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.tokenbroker.connection.AccessGrant;

/** The SDK's token answer: {@code connection_config} is an object or null, never absent. */
record TokenResponse(@JsonProperty("access_token") String accessToken,
		@JsonProperty("integration_type") String integrationType,
		@JsonProperty("connection_config") Map<String, String> connectionConfig) {

	static TokenResponse of(AccessGrant grant) {
		return new TokenResponse(grant.accessToken(), grant.integrationType(), grant.connectionConfig());
	}

	@Override
	public String toString() {
		return "TokenResponse[" + this.integrationType + ", ****]";
	}

}
