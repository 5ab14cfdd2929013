package io.tokenbroker.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import io.tokenbroker.proxy.UpstreamClient.UpstreamFailure;
import io.tokenbroker.proxy.UpstreamClient.UpstreamResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Shapes a provider's answer for the caller by its media type: JSON parsed into {@code data}, other text as a string
 * in {@code data}, anything else base64 in {@code dataBase64}.
 */
final class ResponseBodies {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> TEXT_APPLICATION_TYPES = Set.of("xml", "javascript", "x-www-form-urlencoded",
			"graphql", "yaml", "x-yaml", "x-ndjson", "csv");

	private ResponseBodies() {
	}

	static ProxyResult result(UpstreamResponse response) {
		boolean success = response.status() >= 200 && response.status() < 300;
		Map<String, String> headers = ProxyHeaders.inbound(response.headers());
		byte[] body = response.body();
		if (body.length == 0) {
			return new ProxyResult(success, ProxyPhase.RESPONDED, response.status(), headers, null, null,
					response.contentType());
		}
		MediaType type = mediaType(response.contentType());
		JsonNode data = null;
		String base64 = null;
		if (type != null && isJson(type)) {
			data = parseJson(body, type);
		}
		else if (type != null && isText(type)) {
			data = JsonNodeFactory.instance.stringNode(decode(body, type));
		}
		else if (type == null && isUtf8Text(body)) {
			data = JsonNodeFactory.instance.stringNode(new String(body, StandardCharsets.UTF_8));
		}
		else {
			base64 = Base64.getEncoder().encodeToString(body);
		}
		return new ProxyResult(success, ProxyPhase.RESPONDED, response.status(), headers, data, base64,
				response.contentType());
	}

	static ProxyResult result(UpstreamFailure failure) {
		var data = JsonNodeFactory.instance.objectNode();
		data.put("error", failure.error());
		data.put("message", failure.message());
		return new ProxyResult(false, failure.phase(), null, Map.of(), data, null, null);
	}

	private static JsonNode parseJson(byte[] body, MediaType type) {
		String text = decode(body, type);
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException ex) {
			// Declared JSON that is not: hand it over as text rather than lose it.
			return JsonNodeFactory.instance.stringNode(text);
		}
	}

	private static boolean isJson(MediaType type) {
		String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
		return subtype.equals("json") || subtype.endsWith("+json");
	}

	private static boolean isText(MediaType type) {
		String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
		return type.getType().equalsIgnoreCase("text") || subtype.endsWith("+xml")
				|| (type.getType().equalsIgnoreCase("application") && TEXT_APPLICATION_TYPES.contains(subtype));
	}

	private static String decode(byte[] body, MediaType type) {
		Charset charset = StandardCharsets.UTF_8;
		try {
			if (type.getCharset() != null) {
				charset = type.getCharset();
			}
		}
		catch (IllegalArgumentException ex) {
			// an unknown charset: UTF-8 is the best guess
		}
		return new String(body, charset);
	}

	private static boolean isUtf8Text(byte[] body) {
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
			return text.chars().noneMatch((c) -> c == 0);
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static MediaType mediaType(String contentType) {
		if (contentType == null || contentType.isBlank()) {
			return null;
		}
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (InvalidMediaTypeException ex) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
	}

}
