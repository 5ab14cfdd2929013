package io.tokenbroker.proxy;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The answer to a proxied call. A provider error is a result too ({@code success} false with its {@code status});
 * only failures on the broker's side are HTTP errors.
 * @param success whether the provider answered 2xx
 * @param phase how far the call got
 * @param status the provider's HTTP status, null when it did not answer
 * @param headers the provider's response headers worth relaying (content type, rate limits, retry-after, paging)
 * @param data the body: parsed JSON, text as a string, or the transport error when there was no answer; null for
 * binary bodies
 * @param dataBase64 a binary body, base64-encoded
 * @param contentType the provider's Content-Type
 */
public record ProxyResult(boolean success, ProxyPhase phase, Integer status, Map<String, String> headers,
		JsonNode data, String dataBase64, String contentType) {
}
