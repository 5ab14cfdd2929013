package io.tokenbroker.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.tokenbroker.egress.LockedDownHttpClient;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The Apache HttpClient 5 the proxy sends with: {@link LockedDownHttpClient} with timeouts from
 * {@link ProxyProperties}, no DNS lookups of its own (each call brings the address {@link io.tokenbroker.egress.AddressGuard} checked),
 * and a mark on the exchange once the request started to leave ({@link #wasSent}).
 */
final class UpstreamHttpClients {

	private static final String SENT = UpstreamHttpClients.class.getName() + ".sent";

	private static final DnsResolver NO_LOOKUPS = new DnsResolver() {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			throw new UnknownHostException("Proxy targets are resolved and checked before they are sent");
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			throw new UnknownHostException("Proxy targets are resolved and checked before they are sent");
		}

	};

	private UpstreamHttpClients() {
	}

	static CloseableHttpClient create(ProxyProperties properties) {
		return LockedDownHttpClient
			.builder(properties.connectTimeout(), properties.readTimeout(), properties.maxConnections(), NO_LOOKUPS)
			.setRequestExecutor(new SendTracking())
			.setUserAgent("token-broker")
			.build();
	}

	/** Whether the client had started writing the request on an open connection: the provider may have acted. */
	static boolean wasSent(HttpContext context) {
		return Boolean.TRUE.equals(context.getAttribute(SENT));
	}

	/** Marks the exchange as sent the moment the client starts writing the request on an open connection. */
	private static final class SendTracking extends HttpRequestExecutor {

		@Override
		public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection connection,
				HttpResponseInformationCallback informationCallback, HttpContext context)
				throws IOException, HttpException {
			context.setAttribute(SENT, Boolean.TRUE);
			return super.execute(request, connection, informationCallback, context);
		}

	}

}
