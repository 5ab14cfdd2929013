package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/** Drives an authorization the way a browser would: follow the redirect URL to the provider, then its redirect back. */
public final class OAuthDance {

	private OAuthDance() {
	}

	/** PUT the connector, go through the provider, land on the callback. Returns the callback response. */
	public static BrokerClient.Response connect(BrokerClient client, String token, String type, String body) {
		BrokerClient.Response put = client.put("/connectors/" + type, token, body);
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		JsonNode json = put.json();
		assertThat(json.get("redirectUrl").isNull()).as("redirectUrl in " + json).isFalse();
		return followAuthorization(client, json.get("redirectUrl").asString());
	}

	public static BrokerClient.Response connect(BrokerClient client, String token, String type) {
		return connect(client, token, type, "{}");
	}

	/**
	 * From a provider authorization URL to the broker's callback answer. An end user's link goes to the broker's
	 * connect page first: it is opened and confirmed in one browser, which then also comes back to the callback.
	 */
	public static BrokerClient.Response followAuthorization(BrokerClient client, String authorizationUrl) {
		if (ConnectPageClient.isConnectPage(client, authorizationUrl)) {
			ConnectPageClient browser = new ConnectPageClient(client);
			return browser.get(callbackUrl(client, browser.confirm(authorizationUrl)));
		}
		String callback = callbackUrl(client, authorizationUrl);
		return client.getUrl(callback, "text/html");
	}

	/** The callback URL the provider redirects the browser to (the code is in it, not yet redeemed). */
	public static String callbackUrl(BrokerClient client, String authorizationUrl) {
		BrokerClient.Response provider = client.getUrl(authorizationUrl, "text/html");
		assertThat(provider.status()).as("provider answer " + provider).isEqualTo(302);
		String location = provider.header("Location");
		assertThat(location).startsWith(client.baseUrl() + "/oauth/callback");
		return location;
	}

	/** The query parameters of a URL, decoded. */
	public static Map<String, String> query(String url) {
		Map<String, String> decoded = new java.util.LinkedHashMap<>();
		org.springframework.web.util.UriComponentsBuilder.fromUriString(url)
			.build()
			.getQueryParams()
			.toSingleValueMap()
			.forEach((k, v) -> decoded.put(k, (v != null) ? java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8) : null));
		return decoded;
	}

}
