package io.tokenbroker.catalog;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills {@code {name}} placeholders in provider URLs with connection-config values. */
public final class UrlTemplates {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

	private UrlTemplates() {
	}

	/**
	 * Expands the template. Values were validated against their field's pattern before they were stored, so they are
	 * inserted as given (a SharePoint site path keeps its slashes).
	 * @throws IllegalArgumentException when a placeholder has no value
	 */
	public static String expand(String template, Map<String, String> values) {
		if (template == null || template.indexOf('{') < 0) {
			return template;
		}
		Matcher m = PLACEHOLDER.matcher(template);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			String value = values.get(m.group(1));
			if (value == null || value.isEmpty()) {
				throw new IllegalArgumentException("No value for URL placeholder {" + m.group(1) + "}");
			}
			m.appendReplacement(out, Matcher.quoteReplacement(value));
		}
		m.appendTail(out);
		return out.toString();
	}

}
