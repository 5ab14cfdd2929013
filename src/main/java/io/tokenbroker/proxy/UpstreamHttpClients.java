package io.tokenbroker.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The Apache HttpClient 5 the proxy sends with: redirects, retries, cookies and authentication handling off, timeouts
 * from {@link ProxyProperties}, no DNS lookups of its own (each call brings the address {@link AddressGuard} checked),
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
		ConnectionConfig connections = ConnectionConfig.custom()
			.setConnectTimeout(Timeout.of(properties.connectTimeout()))
			.setSocketTimeout(Timeout.of(properties.readTimeout()))
			.setValidateAfterInactivity(TimeValue.ofSeconds(2))
			.setTimeToLive(TimeValue.ofMinutes(5))
			.build();
		RequestConfig requests = RequestConfig.custom()
			.setConnectionRequestTimeout(Timeout.of(properties.connectTimeout()))
			.setResponseTimeout(Timeout.of(properties.readTimeout()))
			.setRedirectsEnabled(false)
			.setAuthenticationEnabled(false)
			.setExpectContinueEnabled(false)
			.setProtocolUpgradeEnabled(false)
			.build();
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(NO_LOOKUPS)
				.setDefaultConnectionConfig(connections)
				.setMaxConnTotal(properties.maxConnections())
				.setMaxConnPerRoute(properties.maxConnections())
				.build())
			.setDefaultRequestConfig(requests)
			.setRequestExecutor(new SendTracking())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableConnectionState()
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
