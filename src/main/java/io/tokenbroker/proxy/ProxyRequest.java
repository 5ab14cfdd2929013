package io.tokenbroker.proxy;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * What a caller asks the proxy to send: the wire shape of the SDK's {@code callApi} request.
 * @param method GET (default), POST, PUT, PATCH, DELETE or HEAD
 * @param host one of the provider's API hosts (full URL, host name or its first label); null for the default
 * @param path relative to the API base URL; may carry a query string
 * @param query more query parameters: strings, numbers, booleans or arrays of them
 * @param headers headers for the provider; credentials and hop-by-hop headers are dropped
 * @param body a string is sent as is, any other JSON value as JSON; ignored for GET and HEAD
 */
public record ProxyRequest(String method, String host, String path, Map<String, JsonNode> query,
		Map<String, String> headers, JsonNode body) {
}
