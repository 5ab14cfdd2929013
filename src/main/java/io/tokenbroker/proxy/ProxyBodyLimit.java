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
		return PROXY_ROUTES.matcher(request.getRequestURI()).matches() ? this.maxBytes : -1;
	}

}
