package io.tokenbroker.egress;

import java.time.Duration;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The Apache HttpClient 5 every call to an address outside the operator's control starts from (provider APIs through
 * the proxy, apps' webhook endpoints): redirects, retries, cookies, authentication and protocol upgrades off, bounded
 * timeouts and pool, and name resolution only through {@code dns}, which applies {@link AddressGuard}'s rules.
 */
public final class LockedDownHttpClient {

	private LockedDownHttpClient() {
	}

	/** A builder with those settings; the caller adds what is its own (user agent, request executor) and builds. */
	public static HttpClientBuilder builder(Duration connectTimeout, Duration readTimeout, int maxConnections,
			DnsResolver dns) {
		ConnectionConfig connections = ConnectionConfig.custom()
			.setConnectTimeout(Timeout.of(connectTimeout))
			.setSocketTimeout(Timeout.of(readTimeout))
			.setValidateAfterInactivity(TimeValue.ofSeconds(2))
			.setTimeToLive(TimeValue.ofMinutes(5))
			.build();
		RequestConfig requests = RequestConfig.custom()
			.setConnectionRequestTimeout(Timeout.of(connectTimeout))
			.setResponseTimeout(Timeout.of(readTimeout))
			.setRedirectsEnabled(false)
			.setAuthenticationEnabled(false)
			.setExpectContinueEnabled(false)
			.setProtocolUpgradeEnabled(false)
			.build();
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(dns)
				.setDefaultConnectionConfig(connections)
				.setMaxConnTotal(maxConnections)
				.setMaxConnPerRoute(maxConnections)
				.build())
			.setDefaultRequestConfig(requests)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableConnectionState();
	}

}
