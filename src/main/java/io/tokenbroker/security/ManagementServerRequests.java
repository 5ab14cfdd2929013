package io.tokenbroker.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * Requests for Actuator's endpoints, as {@link EndpointRequest#toAnyEndpoint()} matches them, with one difference in
 * cost: whether a server can serve endpoints at all is decided once per server instead of on every request. Spring
 * Boot's matcher makes that decision (a class lookup and a property lookup) again for each request, and the
 * management chain is tried first, so every API request paid for it. The decision is Spring Boot's own: with a
 * management port of its own, only the management server's context serves endpoints.
 */
final class ManagementServerRequests implements RequestMatcher {

	private final RequestMatcher endpoints = EndpointRequest.toAnyEndpoint();

	private final Map<ServletContext, Boolean> servers = new ConcurrentHashMap<>();

	@Override
	public boolean matches(HttpServletRequest request) {
		ServletContext server = request.getServletContext();
		Boolean servesEndpoints = this.servers.get(server);
		if (servesEndpoints == null) {
			servesEndpoints = servesEndpoints(WebApplicationContextUtils.getRequiredWebApplicationContext(server));
			this.servers.put(server, servesEndpoints);
		}
		return servesEndpoints && this.endpoints.matches(request);
	}

	private static boolean servesEndpoints(WebApplicationContext context) {
		return ManagementPortType.get(context.getEnvironment()) != ManagementPortType.DIFFERENT
				|| WebServerApplicationContext.hasServerNamespace(context, "management");
	}

	@Override
	public String toString() {
		return "requests to Actuator's endpoints on the server that serves them";
	}

}
