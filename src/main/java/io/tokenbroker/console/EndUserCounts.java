package io.tokenbroker.console;

import java.util.Map;

import io.tokenbroker.connection.ConnectionStatus;

/**
 * Extension point: how many end users' connections each of an app's connectors has, by status. The default
 * ({@link ConnectionListEndUserCounts}) counts them from the connection list; a grouped count query can replace it.
 */
public interface EndUserCounts {

	/** Per connector id; a connector without end-user connections may be absent. */
	Map<String, Map<ConnectionStatus, Long>> byConnector(String appId);

}
