package io.tokenbroker.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} placeholders in provider URLs with connection-config values. Values come from apps, so a URL
 * whose host holds a placeholder is checked after filling: the host must keep the template's fixed suffix and consist
 * of host-name characters only, so that no value can send the request (and the client secret it carries) elsewhere.
 */
public final class UrlTemplates {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

	/** What a value filling a host placeholder may contain: DNS labels and dots, nothing that ends the host. */
	private static final String HOST_VALUE = "[A-Za-z0-9.-]+";

	private UrlTemplates() {
	}

	/**
	 * Expands the template. Values were validated against their field's pattern before they were stored, so they are
	 * inserted as given in paths (a SharePoint site path keeps its slashes).
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

	/**
	 * Expands a URL template and checks that the values changed nothing before the path: same scheme and port, and a
	 * host that matches the template's (placeholders filled with host-name characters, the fixed suffix kept).
	 * @throws IllegalArgumentException when a placeholder has no value or a value would move the URL to another host
	 */
	public static Expanded expandUrl(String template, Map<String, String> values) {
		String url = expand(template, values);
		String authorityTemplate = authority(template);
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("The filled URL is not a valid URL");
		}
		boolean fromValues = PLACEHOLDER.matcher(authorityTemplate).find();
		String expected = fromValues ? authorityPattern(authorityTemplate) : Pattern.quote(authorityTemplate);
		String authority = uri.getRawAuthority();
		if (authority == null || uri.getHost() == null || !Pattern.compile(expected, Pattern.CASE_INSENSITIVE)
			.matcher(authority).matches() || !uri.getScheme().equalsIgnoreCase(scheme(template))
				|| !uri.getHost().toLowerCase(Locale.ROOT).endsWith(fixedHostSuffix(template))) {
			throw new IllegalArgumentException("A connection-config value would change the host of the provider URL");
		}
		return new Expanded(uri, fromValues);
	}

	/** The names of the placeholders in the host (authority) of a URL template. */
	public static Set<String> hostPlaceholders(String template) {
		Matcher m = PLACEHOLDER.matcher(authority(template));
		java.util.Set<String> names = new java.util.LinkedHashSet<>();
		while (m.find()) {
			names.add(m.group(1));
		}
		return names;
	}

	/** The literal end of the template's host after its last placeholder (lower case; the whole host if none). */
	static String fixedHostSuffix(String template) {
		String host = authority(template).replaceFirst(":[0-9]+$", "");
		int last = host.lastIndexOf('}');
		return host.substring(last + 1).toLowerCase(Locale.ROOT);
	}

	private static String authorityPattern(String authorityTemplate) {
		Matcher m = PLACEHOLDER.matcher(authorityTemplate);
		StringBuilder regex = new StringBuilder();
		int from = 0;
		while (m.find()) {
			regex.append(Pattern.quote(authorityTemplate.substring(from, m.start()))).append(HOST_VALUE);
			from = m.end();
		}
		return regex.append(Pattern.quote(authorityTemplate.substring(from))).toString();
	}

	private static String scheme(String template) {
		int colon = template.indexOf("://");
		return (colon < 0) ? "" : template.substring(0, colon);
	}

	/** The template's text between {@code ://} and the first {@code /}, {@code ?} or {@code #}. */
	private static String authority(String template) {
		int start = template.indexOf("://");
		if (start < 0) {
			return "";
		}
		start += 3;
		int end = start;
		while (end < template.length() && "/?#".indexOf(template.charAt(end)) < 0) {
			end++;
		}
		return template.substring(start, end);
	}

	/**
	 * A filled provider URL.
	 * @param hostFromValues whether connection-config values chose (part of) the host: such hosts must be checked like
	 * any host an app names, the operator did not write them
	 */
	public record Expanded(URI uri, boolean hostFromValues) {
	}

}
