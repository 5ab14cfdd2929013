package io.tokenbroker.proxy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.egress.AddressGuard;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.AccessGrant;
import io.tokenbroker.connection.ConnectionRef;
import io.tokenbroker.connection.TokenService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.proxy.UpstreamClient.Outbound;
import io.tokenbroker.proxy.UpstreamClient.UpstreamFailure;
import io.tokenbroker.proxy.UpstreamClient.UpstreamOutcome;
import io.tokenbroker.proxy.UpstreamClient.UpstreamResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Calls a provider's API with a stored token on a caller's behalf. The caller never sees the token and can reach only
 * the provider's API hosts. A provider's answer, error statuses included, is a result; so is a call that got no
 * answer. Only failures on the broker's side (bad request, no connection, a forbidden host) are exceptions.
 */
@Service
public class ProxyService {

	private static final Logger log = LoggerFactory.getLogger(ProxyService.class);

	private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

	/**
	 * Methods retried once after a 401 and a token refresh. POST and PATCH are not: the broker cannot know that the
	 * provider did nothing before it answered 401, and repeating them could repeat a side effect.
	 */
	private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final TokenService tokens;

	private final ProviderCatalog catalog;

	private final UpstreamClient upstream;

	private final ProxyProperties properties;

	private final MeterRegistry metrics;

	ProxyService(TokenService tokens, ProviderCatalog catalog, UpstreamClient upstream, ProxyProperties properties,
			MeterRegistry metrics) {
		this.tokens = tokens;
		this.catalog = catalog;
		this.upstream = upstream;
		this.properties = properties;
		this.metrics = metrics;
	}

	/**
	 * Sends {@code request} to the provider with the token of the connection {@code ref} names.
	 * @throws BrokerException 400 for a bad request or a forbidden target, 404/409 when there is no usable
	 * connection, 413 for an oversized body, 502 for an oversized answer
	 */
	public ProxyResult call(ConnectionRef ref, ProxyRequest request) {
		if (request == null) {
			throw BrokerException.badRequest("A JSON body {method, host, path, query, headers, body} is required.");
		}
		String method = method(request.method());
		String relative = RequestPaths.relative(request.path(), request.query());
		AccessGrant grant = this.tokens.accessGrant(ref);
		Provider provider = this.catalog.require(grant.integrationType());
		long started = System.nanoTime();
		try {
			Map<String, String> headers = ProxyHeaders.fromCaller(request.headers(), provider);
			byte[] body = body(method, request.body(), headers);
			ApiTarget target = ApiHosts.choose(provider, grant.connectionConfig(), request.host());
			URI uri = target.resolve(relative);
			InetAddress address;
			try {
				address = AddressGuard.resolve(target.host(), target.trusted());
			}
			catch (UnknownHostException ex) {
				return record(provider, method, target, started, ResponseBodies.result(new UpstreamFailure(
						ProxyPhase.NOT_SENT, "unknown_host", "The API host does not resolve.")));
			}
			UpstreamOutcome outcome = send(provider, method, uri, address, headers, body, grant);
			if (outcome instanceof UpstreamResponse response && response.status() == 401) {
				Optional<AccessGrant> renewed = this.tokens.renewRejected(ref, grant);
				if (renewed.isPresent() && IDEMPOTENT.contains(method)) {
					outcome = send(provider, method, uri, address, headers, body, renewed.get());
				}
			}
			ProxyResult result = (outcome instanceof UpstreamResponse response) ? ResponseBodies.result(response)
					: ResponseBodies.result((UpstreamFailure) outcome);
			return record(provider, method, target, started, result);
		}
		catch (BrokerException ex) {
			String outcome = ErrorCodes.PROVIDER_RESPONSE_TOO_LARGE.equals(ex.code()) ? "too_large" : "refused";
			timer(provider, outcome, "none").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			throw ex;
		}
	}

	private UpstreamOutcome send(Provider provider, String method, URI uri, InetAddress address,
			Map<String, String> callerHeaders, byte[] body, AccessGrant grant) {
		Map<String, String> headers = ProxyHeaders.outbound(provider, callerHeaders, grant.accessToken());
		return this.upstream.send(new Outbound(method, uri, address, headers, body));
	}

	private static String method(String requested) {
		String method = (requested == null || requested.isBlank()) ? "GET" : requested.strip().toUpperCase(Locale.ROOT);
		if (!METHODS.contains(method)) {
			throw BrokerException.badRequest("'method' must be one of GET, POST, PUT, PATCH, DELETE or HEAD.");
		}
		return method;
	}

	/** The body to send, and its default Content-Type added to {@code headers} when the caller set none. */
	private byte[] body(String method, JsonNode body, Map<String, String> headers) {
		if (method.equals("GET") || method.equals("HEAD") || body == null || body.isNull() || body.isMissingNode()) {
			return null;
		}
		byte[] bytes;
		if (body.isString()) {
			bytes = body.asString().getBytes(StandardCharsets.UTF_8);
			headers.putIfAbsent("Content-Type", "text/plain; charset=UTF-8");
		}
		else {
			bytes = JSON.writeValueAsBytes(body);
			headers.putIfAbsent("Content-Type", "application/json");
		}
		if (bytes.length > this.properties.maxRequestSize().toBytes()) {
			throw new BrokerException(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
					"The body for the provider is larger than broker.proxy.max-request-size.");
		}
		return bytes;
	}

	private ProxyResult record(Provider provider, String method, ApiTarget target, long started, ProxyResult result) {
		long elapsed = System.nanoTime() - started;
		String status = (result.status() != null) ? Integer.toString(result.status()) : "none";
		timer(provider, result.phase().wireName(), status).record(elapsed, TimeUnit.NANOSECONDS);
		if (log.isDebugEnabled()) {
			log.debug("Proxied {} {} to {}: {} {} in {} ms", provider.type(), method, target.host(),
					result.phase().wireName(), status, TimeUnit.NANOSECONDS.toMillis(elapsed));
		}
		return result;
	}

	private Timer timer(Provider provider, String outcome, String status) {
		return Timer.builder("broker.proxy.calls")
			.description("Calls through the connector proxy, by provider, outcome (phase, refused, too_large) and "
					+ "provider status")
			.tag("provider", provider.type())
			.tag("outcome", outcome)
			.tag("status", status)
			.register(this.metrics);
	}

}
