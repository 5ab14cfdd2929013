package io.tokenbroker.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /connectors/{type}}; every member optional. {@code apiKey} is only for API-key types (Stripe).
 */
record ConnectorRequest(List<String> scopes, Map<String, String> connectionConfig, String returnUrl, String apiKey) {

	static final ConnectorRequest EMPTY = new ConnectorRequest(null, null, null, null);

	@Override
	public String toString() {
		return "ConnectorRequest[scopes=" + this.scopes + ", connectionConfig=" + this.connectionConfig
				+ ", apiKey=" + ((this.apiKey != null) ? "****" : "none") + "]";
	}

}
