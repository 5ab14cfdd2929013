package io.tokenbroker.authflow;

import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a provider said when it refused an authorization. Its {@code error} is shown as a code only when it looks like
 * one; its free-text {@code error_description} is never shown on the broker's pages, where a provider (or anyone who
 * crafts a callback URL) could otherwise put words in the broker's mouth. It is logged, bounded and escaped.
 */
final class ProviderErrors {

	private static final Logger log = LoggerFactory.getLogger(ProviderErrors.class);

	private static final Pattern CODE = Pattern.compile("[a-z0-9_.-]{1,64}");

	private static final int MAX_LOGGED = 300;

	private ProviderErrors() {
	}

	/** The provider's error code if it is a plain code, else {@code provider_error}. */
	static String code(String error) {
		return (error != null && CODE.matcher(error).matches()) ? error : "provider_error";
	}

	static void log(String type, String error, String description) {
		log.info("{} refused the authorization: error={} description={}", type, escape(error), escape(description));
	}

	/** Printable ASCII only, everything else as {@code \\uXXXX}, at most {@value #MAX_LOGGED} characters. */
	static String escape(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < text.length() && out.length() < MAX_LOGGED; i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0x7f && c != '\\') {
				out.append(c);
			}
			else {
				out.append(String.format("\\u%04x", (int) c));
			}
		}
		return (out.length() >= MAX_LOGGED && text.length() > MAX_LOGGED) ? out + "…" : out.toString();
	}

}
