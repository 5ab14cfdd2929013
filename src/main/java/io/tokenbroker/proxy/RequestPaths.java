package io.tokenbroker.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.tokenbroker.problem.BrokerException;

/**
 * Turns the caller's path and query into the part of the URL that follows the API base URL. The path may not leave
 * the base URL: no absolute URLs, no {@code //}, no backslashes, and no dot segments, neither plain nor percent-encoded
 * (decoded up to three times, since providers and their front proxies may decode again).
 */
final class RequestPaths {

	private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

	private static final int MAX_LENGTH = 8192;

	private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

	private static final String PATH_CHARS = UNRESERVED + "!$&'()*+,;=:@/";

	private static final String QUERY_CHARS = PATH_CHARS + "?";

	private RequestPaths() {
	}

	/** The path and query to append to the base URL, percent-encoded where the caller left characters raw. */
	static String relative(String path, Map<String, JsonNode> query) {
		String p = checkSyntax(path);
		int q = p.indexOf('?');
		String rawPath = (q < 0) ? p : p.substring(0, q);
		String rawQuery = (q < 0) ? "" : p.substring(q + 1);
		checkSegments(rawPath);
		StringBuilder out = new StringBuilder(encode(rawPath, PATH_CHARS));
		StringBuilder fullQuery = new StringBuilder(encode(rawQuery, QUERY_CHARS));
		if (query != null) {
			query.forEach((name, value) -> appendParameter(fullQuery, name, value));
		}
		if (!fullQuery.isEmpty()) {
			out.append('?').append(fullQuery);
		}
		return out.toString();
	}

	private static String checkSyntax(String path) {
		if (path == null || path.isBlank()) {
			throw bad("'path' is required.");
		}
		if (path.length() > MAX_LENGTH) {
			throw bad("'path' is longer than " + MAX_LENGTH + " characters.");
		}
		if (SCHEME.matcher(path).find()) {
			throw bad("'path' must be relative to the provider's API base URL, not an absolute URL; "
					+ "choose the API host with 'host'.");
		}
		if (path.chars().anyMatch((c) -> c <= ' ' || c == 127)) {
			throw bad("'path' must not contain spaces or control characters; percent-encode them.");
		}
		if (path.indexOf('\\') >= 0 || path.indexOf('#') >= 0) {
			throw bad("'path' must not contain backslashes or a fragment ('#').");
		}
		String p = path.startsWith("/") ? path : "/" + path;
		int q = p.indexOf('?');
		if (((q < 0) ? p : p.substring(0, q)).contains("//")) {
			throw bad("'path' must not contain empty segments ('//').");
		}
		return p;
	}

	private static void checkSegments(String rawPath) {
		String current = rawPath;
		for (int round = 0; round < 3; round++) {
			for (String segment : current.split("/", -1)) {
				String name = segment.split(";", 2)[0];
				if (name.equals(".") || name.equals("..")) {
					throw bad("'path' must not contain '.' or '..' segments, plain or percent-encoded.");
				}
			}
			if (current.indexOf('\\') >= 0) {
				throw bad("'path' must not contain backslashes, plain or percent-encoded.");
			}
			String decoded = decode(current);
			if (decoded.equals(current)) {
				return;
			}
			current = decoded;
		}
	}

	private static void appendParameter(StringBuilder query, String name, JsonNode value) {
		if (name == null || name.isEmpty()) {
			throw bad("Query parameter names must not be empty.");
		}
		if (value == null || value.isNull()) {
			return;
		}
		if (value.isArray()) {
			for (JsonNode item : value) {
				appendScalar(query, name, item);
			}
			return;
		}
		appendScalar(query, name, value);
	}

	private static void appendScalar(StringBuilder query, String name, JsonNode value) {
		if (!value.isValueNode() || value.isNull() || value.isBinary()) {
			throw bad("Query parameter '" + name + "' must be a string, number, boolean or an array of them.");
		}
		if (!query.isEmpty()) {
			query.append('&');
		}
		query.append(encode(name, UNRESERVED, false)).append('=').append(encode(value.asString(), UNRESERVED, false));
	}

	private static String encode(String raw, String allowed) {
		return encode(raw, allowed, true);
	}

	/** Percent-encodes what {@code allowed} does not contain; keeps existing escapes when {@code keepEscapes}. */
	private static String encode(String raw, String allowed, boolean keepEscapes) {
		StringBuilder out = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (allowed.indexOf(c) >= 0 || (keepEscapes && c == '%' && isEscape(raw, i))) {
				out.append(c);
				continue;
			}
			int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
			for (byte b : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
				out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
					.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
			}
			i = end - 1;
		}
		return out.toString();
	}

	/** Decodes valid escapes and leaves anything else as it is. */
	private static String decode(String s) {
		if (s.indexOf('%') < 0) {
			return s;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
		for (int i = 0; i < s.length();) {
			if (s.charAt(i) == '%' && isEscape(s, i)) {
				bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
				i += 3;
			}
			else {
				int codePoint = s.codePointAt(i);
				byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
				i += Character.charCount(codePoint);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static boolean isEscape(String s, int i) {
		return i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
				&& Character.digit(s.charAt(i + 2), 16) >= 0;
	}

	static BrokerException bad(String detail) {
		return BrokerException.badRequest(detail);
	}

}
