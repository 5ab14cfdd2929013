package io.tokenbroker.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * The strict authorization server, reached two ways: directly, and through a WireMock proxy that a test can make
 * hang, fail or go away (a stub of higher priority than the forwarding one, or {@link WireMockServer#stop()}).
 */
public final class ProxiedStrictServer implements AutoCloseable {

	private final StrictAuthorizationServer server;

	private final WireMockServer proxy;

	private ProxiedStrictServer(StrictAuthorizationServer server, WireMockServer proxy) {
		this.server = server;
		this.proxy = proxy;
	}

	public static ProxiedStrictServer start() {
		StrictAuthorizationServer server = StrictAuthorizationServer.start();
		WireMockServer proxy = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
		proxy.start();
		proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(server.baseUrl())));
		return new ProxiedStrictServer(server, proxy);
	}

	public StrictAuthorizationServer server() {
		return this.server;
	}

	public WireMockServer proxy() {
		return this.proxy;
	}

	/**
	 * Broker settings for two providers of the server: {@code directType} reaches it directly, {@code proxiedType}
	 * its token endpoint through the proxy. A mutable map, for the test's own settings.
	 */
	public Map<String, String> providerSettings(String directType, String proxiedType) {
		Map<String, String> settings = new LinkedHashMap<>(
				this.server.providerProperties(directType, StrictAuthorizationServer.CLIENT_ID));
		settings.putAll(this.server.providerProperties(proxiedType, StrictAuthorizationServer.CLIENT_ID));
		settings.put("broker.providers." + proxiedType + ".token-url", this.proxy.baseUrl() + "/oauth2/token");
		return settings;
	}

	@Override
	public void close() {
		this.proxy.stop();
		this.server.close();
	}

}
