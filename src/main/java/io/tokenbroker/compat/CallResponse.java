package io.tokenbroker.compat;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.proxy.ProxyResult;

/**
 * The SDK's {@code callApi} answer (snake case on the wire; the SDK renames the members). {@code content_type} is set
 * only with {@code data_base64}, as the protocol says; a self-hosted broker charges no credits.
 */
record CallResponse(boolean success, String phase, @JsonProperty("status_code") Integer statusCode, JsonNode data,
		@JsonProperty("data_base64") String dataBase64, @JsonProperty("content_type") String contentType,
		Map<String, String> headers, @JsonProperty("credits_charged") int creditsCharged) {

	static CallResponse of(ProxyResult result) {
		return new CallResponse(result.success(), result.phase().wireName(), result.status(), result.data(),
				result.dataBase64(), (result.dataBase64() != null) ? result.contentType() : null,
				(result.headers() != null) ? result.headers() : Map.of(), 0);
	}

}
