package io.tokenbroker.authflow;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.tokenbroker.problem.BrokerException;

/**
 * The operator's allow-list of post-authorization return URLs. A URL is allowed when scheme, host and port equal an
 * entry's and its path is the entry's path or below it (segment-wise: {@code /done} does not admit {@code /done-evil}):
 * no open redirect through the callback. Paths that a browser would resolve differently than this check does
 * (encoded dots, backslashes) are refused.
 */
final class ReturnUrls {

	private ReturnUrls() {
	}

	/** A URL of the operator's allow-list ({@code broker.oauth.allowed-return-urls}). */
	static String check(String candidate, List<String> allowed) {
		return check(candidate, allowed, (url) -> false,
				"returnUrl is not one of the return URLs this broker allows (broker.oauth.allowed-return-urls).");
	}

	/**
	 * A URL of the operator's allow-list, or a page of an origin allowed for the app (its own or the deployment's).
	 * @param allowedOrigin admits URLs by their origin alone (an app's allowed origins), after the same hygiene checks
	 */
	static String check(String candidate, List<String> allowed, Predicate<URI> allowedOrigin) {
		return check(candidate, allowed, allowedOrigin,
				"returnUrl is not one of the return URLs this broker allows (broker.oauth.allowed-return-urls) "
						+ "nor a page of an origin allowed for the app (PUT /allowed-origins, or "
						+ "broker.cors.allowed-origins).");
	}

	private static String check(String candidate, List<String> allowed, Predicate<URI> allowedOrigin,
			String refusal) {
		if (candidate == null || candidate.isBlank()) {
			return null;
		}
		URI uri = parse(candidate);
		if (uri != null && uri.getUserInfo() == null && uri.getFragment() == null && unambiguous(path(uri))
				&& noLineBreaks(candidate)) {
			if (allowedOrigin.test(uri)) {
				return uri.toString();
			}
			for (String entry : allowed) {
				URI base = parse(entry);
				if (base != null && sameOrigin(uri, base) && under(path(uri), path(base))) {
					return uri.toString();
				}
			}
		}
		throw BrokerException.badRequest(refusal);
	}

	/** Encoded line breaks have no business in a page address and could end up in a header downstream. */
	private static boolean noLineBreaks(String candidate) {
		String lower = candidate.toLowerCase(java.util.Locale.ROOT);
		return !lower.contains("%0d") && !lower.contains("%0a") && candidate.chars().noneMatch(Character::isISOControl);
	}

	private static boolean under(String path, String base) {
		if (base.isEmpty() || base.endsWith("/")) {
			return path.startsWith(base) || (path + "/").equals(base);
		}
		return path.equals(base) || path.startsWith(base + "/");
	}

	private static boolean unambiguous(String rawPath) {
		String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
		return !lower.contains("%2e") && !lower.contains("%2f") && !lower.contains("%5c") && !rawPath.contains("/../")
				&& !rawPath.endsWith("/..");
	}

	private static boolean sameOrigin(URI a, URI b) {
		return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
				&& a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
	}

	private static int port(URI uri) {
		if (uri.getPort() >= 0) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static String path(URI uri) {
		return Objects.requireNonNullElse(uri.getRawPath(), "");
	}

	private static URI parse(String value) {
		try {
			URI uri = new URI(value);
			return (uri.isAbsolute() && ("https".equalsIgnoreCase(uri.getScheme())
					|| "http".equalsIgnoreCase(uri.getScheme()))) ? uri.normalize() : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
