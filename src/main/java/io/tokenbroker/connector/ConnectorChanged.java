package io.tokenbroker.connector;

/**
 * Published when a connector's config changed or it was removed, restored or deleted: what its connections serve
 * changed with it. Listeners that keep copies of connections react after the change commits.
 */
public record ConnectorChanged(String connectorId) {
}
