package io.tokenbroker.proxy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.problem.BrokerException;

/**
 * Which headers pass the proxy. Outbound, the caller's credentials, cookies and connection-level headers never reach
 * the provider (the broker adds its own credentials); inbound, only headers a caller can use come back (content type,
 * rate limits, retry-after, paging links, request ids), never cookies.
 */
final class ProxyHeaders {

	private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

	private static final int MAX_HEADERS = 50;

	private static final int MAX_VALUE_LENGTH = 8192;

	/** Credentials, cookies, hop-by-hop headers (RFC 9110 §7.6.1) and what the HTTP client sets itself. */
	private static final Set<String> DROPPED = Set.of("authorization", "cookie", "cookie2", "host", "connection",
			"keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect",
			"accept-encoding", "forwarded", "via", "x-real-ip", "http2-settings");

	private static final List<String> DROPPED_PREFIXES = List.of("proxy-", "x-forwarded-");

	private static final Set<String> RELAYED = Set.of("content-type", "content-disposition", "content-language",
			"content-range", "accept-ranges", "etag", "last-modified", "cache-control", "expires", "location",
			"retry-after", "link", "www-authenticate", "x-request-id", "request-id", "x-total-count", "x-next-page",
			"x-oauth-scopes", "x-accepted-oauth-scopes", "sforce-limit-info");

	private ProxyHeaders() {
	}

	/**
	 * The headers sent to the provider: the provider's defaults, then the caller's allowed headers (which may replace
	 * a default), then the broker's credentials.
	 */
	static Map<String, String> outbound(Provider provider, Map<String, String> callerHeaders, String accessToken) {
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.putAll(provider.api().headers());
		headers.putAll(callerHeaders);
		headers.remove(provider.api().authHeader());
		headers.put(provider.api().authHeader(), provider.api().authorization(accessToken));
		return headers;
	}

	/** The caller's headers that may go to the provider; malformed ones are a 400. */
	static Map<String, String> fromCaller(Map<String, String> requested, Provider provider) {
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		if (requested == null || requested.isEmpty()) {
			return headers;
		}
		if (requested.size() > MAX_HEADERS) {
			throw BrokerException.badRequest("At most " + MAX_HEADERS + " headers may be forwarded.");
		}
		Set<String> named = namedByConnection(requested);
		requested.forEach((name, value) -> {
			if (name == null || !NAME.matcher(name).matches()) {
				throw BrokerException.badRequest("'headers' contains an invalid header name.");
			}
			if (value == null || value.length() > MAX_VALUE_LENGTH
					|| value.chars().anyMatch((c) -> (c < ' ' && c != '\t') || c == 127)) {
				throw BrokerException.badRequest("Header '" + name + "' has an invalid value.");
			}
			String lower = name.toLowerCase(Locale.ROOT);
			if (DROPPED.contains(lower) || DROPPED_PREFIXES.stream().anyMatch(lower::startsWith)
					|| named.contains(lower) || lower.equalsIgnoreCase(provider.api().authHeader())) {
				return;
			}
			headers.put(name, value);
		});
		return headers;
	}

	/** Headers listed in the caller's own {@code Connection} header are hop-by-hop too. */
	private static Set<String> namedByConnection(Map<String, String> requested) {
		return requested.entrySet()
			.stream()
			.filter((e) -> "connection".equalsIgnoreCase(e.getKey()) && e.getValue() != null)
			.flatMap((e) -> Arrays.stream(e.getValue().split(",")))
			.map((token) -> token.strip().toLowerCase(Locale.ROOT))
			.filter((token) -> !token.isEmpty())
			.collect(Collectors.toSet());
	}

	/** Whether a provider response header is relayed to the caller. */
	static boolean relayed(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return RELAYED.contains(lower) || lower.contains("ratelimit") || lower.contains("rate-limit")
				|| lower.endsWith("-request-id");
	}

	/** Relayed headers with lower-case names; repeated headers are joined with ", ". */
	static Map<String, String> inbound(List<Map.Entry<String, String>> responseHeaders) {
		Map<String, String> relayed = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : responseHeaders) {
			if (relayed(header.getKey())) {
				relayed.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b);
			}
		}
		return relayed;
	}

}
