package io.tokenbroker.api;

import java.util.List;
import java.util.Map;

/** Body of {@code PUT /connectors/{type}}; every member optional. */
record ConnectorRequest(List<String> scopes, Map<String, String> connectionConfig, String returnUrl) {

	static final ConnectorRequest EMPTY = new ConnectorRequest(null, null, null);

}
