package io.tokenbroker.origins;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One allowed origin: exact ({@code https://app.example.com}, {@code http://localhost:5173}) or a pattern whose
 * leftmost label is {@code *} ({@code https://*.example.com}, which admits any subdomain at any depth, never
 * {@code example.com} itself). A pattern needs at least two labels after the star, so {@code https://*.com} is refused.
 */
record OriginRule(String scheme, String host, int port, boolean anySubdomain) {

	static final int MAX_LENGTH = 255;

	private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	/** The rule written as {@code value}, or empty when it is not an origin this broker accepts. */
	static Optional<OriginRule> parse(String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
			return Optional.empty();
		}
		boolean wildcard = value.contains("://*.");
		Optional<OriginRule> parsed = origin(wildcard ? value.replace("://*.", "://") : value);
		if (parsed.isEmpty() || (wildcard && parsed.get().host().split("\\.").length < 2)) {
			return Optional.empty();
		}
		OriginRule rule = parsed.get();
		return Optional.of(new OriginRule(rule.scheme(), rule.host(), rule.port(), wildcard));
	}

	/** The origin a browser sent ({@code Origin} header), normalised, or empty when it is not one. */
	static Optional<OriginRule> origin(String value) {
		if (value == null || value.length() > MAX_LENGTH || value.chars().anyMatch((c) -> c <= ' ' || c >= 127)) {
			return Optional.empty();
		}
		try {
			URI uri = new URI(value);
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : null;
			boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
					&& uri.getRawFragment() == null && uri.getRawUserInfo() == null;
			if (!("https".equals(scheme) || "http".equals(scheme)) || host == null || !bare || !validHost(host)) {
				return Optional.empty();
			}
			int port = (uri.getPort() >= 0) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
			return Optional.of(new OriginRule(scheme, host, port, false));
		}
		catch (URISyntaxException ex) {
			return Optional.empty();
		}
	}

	/** The origin of an absolute http(s) URL (a page's address), or empty. */
	static Optional<OriginRule> originOf(URI url) {
		if (url.getScheme() == null || url.getHost() == null) {
			return Optional.empty();
		}
		String port = (url.getPort() >= 0) ? ":" + url.getPort() : "";
		return origin(url.getScheme() + "://" + url.getHost() + port);
	}

	boolean admits(OriginRule origin) {
		if (!this.scheme.equals(origin.scheme()) || this.port != origin.port()) {
			return false;
		}
		return this.anySubdomain ? origin.host().endsWith("." + this.host) : this.host.equals(origin.host());
	}

	/** The rule as stored and listed: lower case, default port omitted. */
	@Override
	public String toString() {
		boolean defaultPort = this.port == ("https".equals(this.scheme) ? 443 : 80);
		return this.scheme + "://" + (this.anySubdomain ? "*." : "") + this.host + (defaultPort ? "" : ":" + this.port);
	}

	private static boolean validHost(String host) {
		if (host.startsWith("[")) {
			return host.endsWith("]") && host.length() > 2;
		}
		for (String label : host.split("\\.", -1)) {
			if (!LABEL.matcher(label).matches()) {
				return false;
			}
		}
		return true;
	}

}
