package io.tokenbroker.proxy;

import java.net.URI;

import io.tokenbroker.problem.BrokerException;

/**
 * One of a provider's API base URLs, resolved for a connection.
 * @param base scheme, host, optional port and base path (no trailing slash)
 * @param trusted whether the operator wrote this URL in configuration: only then may it be an IP literal or resolve
 * to a private, loopback or link-local address
 */
record ApiTarget(URI base, boolean trusted) {

	String host() {
		return this.base.getHost();
	}

	int port() {
		return effectivePort(this.base);
	}

	/** The URL of {@code relative} (a path and query from {@link RequestPaths}) under this base. */
	URI resolve(String relative) {
		URI uri;
		try {
			uri = new URI(this.base.toString() + relative);
		}
		catch (java.net.URISyntaxException ex) {
			throw BrokerException.badRequest("'path' does not form a valid URL with the API base URL.");
		}
		if (!this.base.getScheme().equals(uri.getScheme()) || !host().equals(uri.getHost())
				|| port() != effectivePort(uri)) {
			throw BrokerException.badRequest("'path' must stay on the provider's API host.");
		}
		return uri;
	}

	static int effectivePort(URI uri) {
		if (uri.getPort() >= 0) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
