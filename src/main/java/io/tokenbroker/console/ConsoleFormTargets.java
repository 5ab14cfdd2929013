package io.tokenbroker.console;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;

import org.springframework.stereotype.Component;

/**
 * The console's CSP {@code form-action}: the broker itself, and the origins of the configured providers'
 * authorization pages, because browsers also check the redirect that follows the "Connect" form.
 */
@Component
class ConsoleFormTargets {

	private static final Pattern ORIGIN = Pattern.compile("^(https?)://([^/?#]+)");

	private final String formAction;

	ConsoleFormTargets(ProviderCatalog catalog) {
		Set<String> sources = new LinkedHashSet<>();
		sources.add("'self'");
		for (Provider provider : catalog.all()) {
			if (provider.configured() && provider.authMode() == AuthMode.OAUTH2 && provider.authorizationUrl() != null) {
				sources.add(source(provider.authorizationUrl()));
			}
		}
		this.formAction = String.join(" ", sources);
	}

	String formAction() {
		return this.formAction;
	}

	/**
	 * The CSP source of an authorization URL: its origin, a {@code *.} wildcard when its first host label is a
	 * template such as {@code {subdomain}}, and any https origin when the template sits elsewhere in the host.
	 */
	static String source(String authorizationUrl) {
		Matcher matcher = ORIGIN.matcher(authorizationUrl);
		if (!matcher.find()) {
			return "https:";
		}
		String authority = matcher.group(2);
		if (authority.contains("{")) {
			String wildcard = authority.replaceFirst("^\\{[^}]+}\\.", "*.");
			if (wildcard.contains("{") || wildcard.contains("}")) {
				return "https:";
			}
			authority = wildcard;
		}
		if (!authority.matches("[A-Za-z0-9.*:\\[\\]-]+")) {
			return "https:";
		}
		return matcher.group(1) + "://" + authority;
	}

}
