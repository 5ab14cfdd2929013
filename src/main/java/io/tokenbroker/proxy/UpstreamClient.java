package io.tokenbroker.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import io.tokenbroker.egress.AddressGuard;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Sends proxied calls with the client of {@link UpstreamHttpClients}, each connection pinned to the address
 * {@link AddressGuard} checked (the client's own DNS lookups are disabled, so nothing can connect to an unchecked
 * address), and the answer capped at {@code broker.proxy.max-response-size}. Tells apart failures before the request
 * left (nothing sent) from failures after (the provider may have acted).
 */
@Component
class UpstreamClient implements DisposableBean {

	private final CloseableHttpClient http;

	private final ProxyProperties properties;

	UpstreamClient(ProxyProperties properties) {
		this.properties = properties;
		this.http = UpstreamHttpClients.create(properties);
	}

	/**
	 * Sends {@code call}. Transport failures are outcomes, not exceptions.
	 * @throws BrokerException 502 when the answer exceeds the response cap
	 */
	UpstreamOutcome send(Outbound call) {
		HttpClientContext context = HttpClientContext.create();
		HttpUriRequestBase request = new HttpUriRequestBase(call.method(), call.uri());
		call.headers().forEach(request::addHeader);
		if (call.body() != null) {
			request.setEntity(new ByteArrayEntity(call.body(), null));
		}
		String hostName = call.uri().getHost().replace("[", "").replace("]", "");
		HttpHost target = new HttpHost(call.uri().getScheme(), call.address(), hostName,
				ApiTarget.effectivePort(call.uri()));
		long deadline = System.nanoTime() + this.properties.connectTimeout().toNanos()
				+ this.properties.readTimeout().toNanos();
		try (ClassicHttpResponse response = this.http.executeOpen(target, request, context)) {
			byte[] body = read(response.getEntity(), request, deadline);
			List<Map.Entry<String, String>> headers = new ArrayList<>();
			for (Header header : response.getHeaders()) {
				headers.add(Map.entry(header.getName(), header.getValue()));
			}
			String contentType = (response.getFirstHeader("Content-Type") != null)
					? response.getFirstHeader("Content-Type").getValue() : null;
			return new UpstreamResponse(response.getCode(), headers, contentType, body);
		}
		catch (IOException ex) {
			return failure(ex, context);
		}
	}

	private byte[] read(HttpEntity entity, HttpUriRequestBase request, long deadline) throws IOException {
		if (entity == null) {
			return new byte[0];
		}
		long max = this.properties.maxResponseSize().toBytes();
		if (entity.getContentLength() > max) {
			throw tooLarge(request);
		}
		try (InputStream in = entity.getContent()) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(
					(int) Math.min(Math.max(entity.getContentLength(), 8192), max));
			byte[] buffer = new byte[16384];
			for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
				if (out.size() + (long) n > max) {
					throw tooLarge(request);
				}
				out.write(buffer, 0, n);
				if (System.nanoTime() > deadline) {
					request.cancel();
					throw new SocketTimeoutException("The provider's answer took longer than the read timeout");
				}
			}
			return out.toByteArray();
		}
	}

	/** Cuts the connection, so the rest of an oversized body is never read, and reports a 502. */
	private static BrokerException tooLarge(HttpUriRequestBase request) {
		request.cancel();
		return new BrokerException(HttpStatus.BAD_GATEWAY, ErrorCodes.PROVIDER_RESPONSE_TOO_LARGE,
				"The provider's answer is larger than the broker relays (broker.proxy.max-response-size).");
	}

	private static UpstreamFailure failure(IOException ex, HttpClientContext context) {
		if (!UpstreamHttpClients.wasSent(context)) {
			if (ex instanceof ConnectTimeoutException) {
				return new UpstreamFailure(ProxyPhase.NOT_SENT, "connect_timeout",
						"The provider did not accept a connection in time.");
			}
			if (ex instanceof UnknownHostException) {
				return new UpstreamFailure(ProxyPhase.NOT_SENT, "unknown_host", "The API host does not resolve.");
			}
			if (ex instanceof SSLException) {
				return new UpstreamFailure(ProxyPhase.NOT_SENT, "tls_error", "The TLS handshake with the provider "
						+ "failed.");
			}
			return new UpstreamFailure(ProxyPhase.NOT_SENT, "connection_failed",
					"The broker could not connect to the provider.");
		}
		if (ex instanceof InterruptedIOException) {
			return new UpstreamFailure(ProxyPhase.TIMED_OUT, "read_timeout",
					"The provider did not answer within the read timeout; it may have acted on the request.");
		}
		return new UpstreamFailure(ProxyPhase.SENT_UNCONFIRMED, "connection_lost",
				"The connection failed after the request was sent; the provider may have acted on it.");
	}

	@Override
	public void destroy() throws IOException {
		this.http.close();
	}

	/** A call ready to go: the address is the one {@link AddressGuard} checked. */
	record Outbound(String method, URI uri, InetAddress address, Map<String, String> headers, byte[] body) {

		@Override
		public String toString() {
			return "Outbound[" + this.method + " " + this.uri.getHost() + "]";
		}

	}

	/** What came of a call. */
	sealed interface UpstreamOutcome permits UpstreamResponse, UpstreamFailure {

	}

	/** The provider answered. */
	record UpstreamResponse(int status, List<Map.Entry<String, String>> headers, String contentType,
			byte[] body) implements UpstreamOutcome {

	}

	/** No (complete) answer. */
	record UpstreamFailure(ProxyPhase phase, String error, String message) implements UpstreamOutcome {

	}

}
