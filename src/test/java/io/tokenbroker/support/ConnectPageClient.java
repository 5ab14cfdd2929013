package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser on an end user's connect page ({@code /connect/{ticket}}), over plain HTTP: it keeps the binding cookie
 * the page sets and sends it back, as a browser would.
 */
public final class ConnectPageClient {

	private static final Pattern CONFIRMATION = Pattern.compile("name=\"confirmation\" value=\"([^\"]+)\"");

	private final BrokerClient client;

	private String cookie;

	private String confirmation;

	public ConnectPageClient(BrokerClient client) {
		this.client = client;
	}

	/** Whether the URL is a broker connect page rather than a provider's authorization URL. */
	public static boolean isConnectPage(BrokerClient client, String url) {
		return url.startsWith(client.baseUrl() + "/connect/");
	}

	public BrokerClient.Response open(String connectUrl) {
		BrokerClient.Response page = send(HttpRequest.newBuilder(URI.create(connectUrl)).GET());
		String setCookie = page.header("Set-Cookie");
		if (setCookie != null) {
			this.cookie = setCookie.substring(0, setCookie.indexOf(';'));
		}
		Matcher matcher = CONFIRMATION.matcher(page.body());
		this.confirmation = matcher.find() ? matcher.group(1) : null;
		return page;
	}

	/** Submits the page's form: {@code allow} or {@code cancel} (null: no decision at all). */
	public BrokerClient.Response decide(String connectUrl, String decision) {
		String form = ((decision != null) ? "decision=" + URLEncoder.encode(decision, StandardCharsets.UTF_8) : "")
				+ ((this.confirmation != null)
						? "&confirmation=" + URLEncoder.encode(this.confirmation, StandardCharsets.UTF_8) : "");
		return send(HttpRequest.newBuilder(URI.create(connectUrl))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	/** Opens the page and continues: the provider's authorization URL the browser is sent to. */
	public String confirm(String connectUrl) {
		BrokerClient.Response page = open(connectUrl);
		assertThat(page.status()).as(page.toString()).isEqualTo(200);
		BrokerClient.Response confirmed = decide(connectUrl, "allow");
		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(303);
		return confirmed.header("Location");
	}

	/** GET of a URL (the callback) with this browser's cookie. */
	public BrokerClient.Response get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET());
	}

	public String cookie() {
		return this.cookie;
	}

	private BrokerClient.Response send(HttpRequest.Builder builder) {
		builder.timeout(Duration.ofSeconds(30));
		if (this.cookie != null) {
			builder.header("Cookie", this.cookie);
		}
		return this.client.send(builder.build());
	}

}
