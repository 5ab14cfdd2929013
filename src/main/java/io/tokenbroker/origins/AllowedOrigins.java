package io.tokenbroker.origins;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import io.tokenbroker.problem.BrokerException;

import org.springframework.stereotype.Service;

/**
 * The origins whose pages may call an app's end-user routes from a browser (CORS) and be sent back to after
 * connecting: the deployment's {@code broker.cors.allowed-origins} plus the app's own list.
 */
@Service
public class AllowedOrigins {

	static final int MAX_PER_APP = 50;

	private final AllowedOriginStore store;

	private final List<OriginRule> deploymentWide;

	private final Clock clock;

	AllowedOrigins(AllowedOriginStore store, CorsProperties properties, Clock clock) {
		this.store = store;
		this.deploymentWide = properties.allowedOrigins().stream()
			.map((origin) -> OriginRule.parse(origin.strip()).orElseThrow())
			.toList();
		this.clock = clock;
	}

	public List<String> forApp(String appId) {
		return this.store.forApp(appId);
	}

	/** Replaces the app's list; refuses the whole list, changing nothing, when one entry is not an origin. */
	public List<String> replace(String appId, List<String> origins) {
		if (origins == null) {
			throw BrokerException.badRequest("origins is required: a list of origins such as https://app.example.com.");
		}
		if (origins.size() > MAX_PER_APP) {
			throw BrokerException.badRequest("At most " + MAX_PER_APP + " origins may be allowed per app.");
		}
		LinkedHashSet<String> normalised = new LinkedHashSet<>();
		for (String origin : origins) {
			normalised.add(OriginRule.parse(origin).map(OriginRule::toString).orElseThrow(() -> BrokerException
				.badRequest("Each origin must be scheme://host[:port] without a path (or https://*.example.com for "
						+ "its subdomains).")));
		}
		this.store.replace(appId, List.copyOf(normalised), Instant.now(this.clock));
		return forApp(appId);
	}

	/** Whether a page of {@code origin} may call the app's end-user routes. */
	public boolean allowsForApp(String appId, String origin) {
		return admits(origin, () -> this.store.forApp(appId));
	}

	/** Whether a page of {@code origin} may call the end-user routes of the app that owns the connector. */
	public boolean allowsForConnector(String connectorId, String origin) {
		return admits(origin, () -> this.store.forConnector(connectorId));
	}

	/** Whether the browser may be sent back to {@code url} after connecting to one of the app's connectors. */
	public boolean allowsReturnTo(String appId, URI url) {
		Optional<OriginRule> origin = OriginRule.originOf(url);
		return origin.isPresent() && rules(this.store.forApp(appId)).stream().anyMatch((r) -> r.admits(origin.get()));
	}

	private boolean admits(String origin, java.util.function.Supplier<List<String>> appOrigins) {
		Optional<OriginRule> parsed = OriginRule.origin(origin);
		if (parsed.isEmpty()) {
			return false;
		}
		if (this.deploymentWide.stream().anyMatch((rule) -> rule.admits(parsed.get()))) {
			return true;
		}
		return rules(appOrigins.get()).stream().anyMatch((rule) -> rule.admits(parsed.get()));
	}

	private List<OriginRule> rules(List<String> stored) {
		List<OriginRule> rules = new ArrayList<>(this.deploymentWide);
		stored.forEach((origin) -> OriginRule.parse(origin).ifPresent(rules::add));
		return rules;
	}

}
