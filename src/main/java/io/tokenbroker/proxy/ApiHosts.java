package io.tokenbroker.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.UrlTemplates;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

/**
 * Chooses the API base URL of a call: the provider's first one by default, or the one the caller names. A caller may
 * only name a base URL of the provider (catalog or operator configuration), by full URL, host name, or the host's
 * first label ({@code upload} for {@code upload.box.com}); nothing else is reachable.
 */
final class ApiHosts {

	private static final Pattern HOST_SYNTAX = Pattern.compile("[a-z0-9.:\\[\\]-]{1,300}");

	private ApiHosts() {
	}

	static ApiTarget choose(Provider provider, Map<String, String> connectionConfig, String requestedHost) {
		List<ApiTarget> candidates = candidates(provider, (connectionConfig != null) ? connectionConfig : Map.of());
		if (candidates.isEmpty()) {
			throw BrokerException.conflict(ErrorCodes.PROVIDER_NOT_CONFIGURED,
					"Integration type '" + provider.type() + "' has no API base URL this connection can use; the "
							+ "operator sets broker.providers." + provider.type() + ".api-base-url.");
		}
		if (requestedHost == null || requestedHost.isBlank()) {
			return candidates.get(0);
		}
		String wanted = requestedHost.strip().toLowerCase(Locale.ROOT);
		return find(candidates, wanted).orElseThrow(() -> BrokerException.badRequest("Host '"
				+ abbreviate(requestedHost.strip()) + "' is not an API host of " + provider.type() + ". Allowed: "
				+ candidates.stream().map(ApiHosts::describe).distinct().collect(Collectors.joining(", ")) + "."));
	}

	private static List<ApiTarget> candidates(Provider provider, Map<String, String> config) {
		List<ApiTarget> candidates = new ArrayList<>();
		for (String template : provider.apiBaseUrls()) {
			String url;
			try {
				url = UrlTemplates.expand(template, config);
			}
			catch (IllegalArgumentException ex) {
				continue; // a placeholder this connection has no value for: that base URL is not available to it
			}
			URI base = parseBase(url);
			if (base != null) {
				candidates.add(new ApiTarget(base, provider.api().operatorBaseUrls().contains(template)));
			}
		}
		return candidates;
	}

	private static Optional<ApiTarget> find(List<ApiTarget> candidates, String wanted) {
		if (wanted.contains("://")) {
			URI uri = parseBase(wanted);
			return (uri == null) ? Optional.empty()
					: first(candidates, (c) -> c.base().getScheme().equals(uri.getScheme())
							&& c.host().equals(uri.getHost()) && c.port() == ApiTarget.effectivePort(uri)
							&& (uri.getRawPath().isEmpty() || uri.getRawPath().equals(c.base().getRawPath())));
		}
		if (!HOST_SYNTAX.matcher(wanted).matches()) {
			return Optional.empty();
		}
		URI authority = parseBase("https://" + wanted);
		if (authority != null && authority.getRawPath().isEmpty()) {
			Optional<ApiTarget> byHost = first(candidates, (c) -> c.host().equals(authority.getHost())
					&& (authority.getPort() < 0 || authority.getPort() == c.port()));
			if (byHost.isPresent()) {
				return byHost;
			}
		}
		if (wanted.matches("[a-z0-9-]+")) {
			return first(candidates, (c) -> c.host().split("\\.", 2)[0].equals(wanted));
		}
		return Optional.empty();
	}

	private static Optional<ApiTarget> first(List<ApiTarget> candidates, Predicate<ApiTarget> test) {
		return candidates.stream().filter(test).findFirst();
	}

	/** An http(s) URL with a host and nothing but a path after it, normalized; null when it is anything else. */
	private static URI parseBase(String url) {
		try {
			URI uri = new URI(url);
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
			if (!("https".equals(scheme) || "http".equals(scheme)) || uri.getHost() == null
					|| uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
				return null;
			}
			String path = (uri.getRawPath() != null) ? uri.getRawPath().replaceAll("/+$", "") : "";
			return new URI(scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static String describe(ApiTarget target) {
		return target.base().getRawAuthority();
	}

	private static String abbreviate(String s) {
		return (s.length() > 100) ? s.substring(0, 100) + "…" : s;
	}

}
