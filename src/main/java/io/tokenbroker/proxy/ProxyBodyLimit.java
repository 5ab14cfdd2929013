package io.tokenbroker.proxy;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.tokenbroker.limits.RouteBodyLimit;

import org.springframework.stereotype.Component;

/** Proxy requests carry provider payloads: they get {@code broker.proxy.max-request-size} instead of the API's limit. */
@Component
class ProxyBodyLimit implements RouteBodyLimit {

	private static final Pattern PROXY_ROUTES = Pattern.compile("/(connectors|app-user-connectors)/[^/]+/proxy");

	private final long maxBytes;

	ProxyBodyLimit(ProxyProperties properties) {
		this.maxBytes = properties.maxRequestSize().toBytes();
	}

	@Override
	public long maxBodyBytes(HttpServletRequest request) {
		String path = request.getRequestURI();
		// Every request of the API passes here: the expression runs only for paths that can match it.
		return (path.endsWith("/proxy") && PROXY_ROUTES.matcher(path).matches()) ? this.maxBytes : -1;
	}

}
