package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP session without a browser: keeps cookies per host (ignoring {@code Secure}, which a real browser
 * also ignores on localhost), follows redirects on request, and reads a page's CSRF token.
 */
public class WebSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final BrokerClient client;

	private final Map<String, Map<String, String>> cookies;

	private final Map<String, List<String>> setCookieHeaders;

	/** Hosts that are one site to this browser (replicas behind one address), mapped to the host whose jar they use. */
	private final Map<String, String> sameSite;

	public WebSession(BrokerClient client) {
		this(client, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
	}

	private WebSession(BrokerClient client, Map<String, Map<String, String>> cookies,
			Map<String, List<String>> setCookieHeaders, Map<String, String> sameSite) {
		this.client = client;
		this.cookies = cookies;
		this.setCookieHeaders = setCookieHeaders;
		this.sameSite = sameSite;
	}

	/**
	 * This browser talking to another replica of the same deployment, as a load balancer without sticky sessions
	 * would route it: same cookies, requests answered by {@code replica}.
	 */
	public WebSession through(BrokerClient replica) {
		String home = this.sameSite.getOrDefault(authority(this.client), authority(this.client));
		this.sameSite.put(authority(replica), home);
		return new WebSession(replica, this.cookies, this.setCookieHeaders, this.sameSite);
	}

	/** A GET of an absolute URL or a path on the broker; does not follow redirects. */
	public BrokerClient.Response get(String url) {
		return send(HttpRequest.newBuilder(uri(url)).header("Accept", "text/html").GET());
	}

	/** A form POST; does not follow redirects. */
	public BrokerClient.Response post(String url, Map<String, String> form) {
		String body = form.entrySet()
			.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(uri(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** Follows the response's redirects with GETs until a page answers. */
	public BrokerClient.Response follow(BrokerClient.Response response) {
		BrokerClient.Response current = response;
		for (int hops = 0; hops < 10 && current.status() / 100 == 3; hops++) {
			String location = current.header("Location");
			current = get(current.raw().uri().resolve(location).toString());
		}
		return current;
	}

	public static String csrfToken(BrokerClient.Response page) {
		Matcher matcher = CSRF.matcher(page.body());
		assertThat(matcher.find()).as("a CSRF field in " + page.body()).isTrue();
		return matcher.group(1);
	}

	/** The Set-Cookie headers the broker sent for {@code name}, as received. */
	public List<String> setCookie(String name) {
		return this.setCookieHeaders.getOrDefault(name, List.of());
	}

	private BrokerClient.Response send(HttpRequest.Builder builder) {
		HttpRequest request = builder.build();
		String host = this.sameSite.getOrDefault(request.uri().getAuthority(), request.uri().getAuthority());
		Map<String, String> jar = this.cookies.computeIfAbsent(host, (h) -> new LinkedHashMap<>());
		if (!jar.isEmpty()) {
			builder.header("Cookie", jar.entrySet()
				.stream()
				.map((e) -> e.getKey() + "=" + e.getValue())
				.collect(Collectors.joining("; ")));
			request = builder.build();
		}
		BrokerClient.Response response = this.client.send(request);
		for (String header : response.raw().headers().allValues("Set-Cookie")) {
			String pair = header.split(";", 2)[0];
			int eq = pair.indexOf('=');
			String name = pair.substring(0, eq).trim();
			String value = pair.substring(eq + 1).trim();
			this.setCookieHeaders.computeIfAbsent(name, (n) -> new java.util.ArrayList<>()).add(header);
			if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
				jar.remove(name);
			}
			else {
				jar.put(name, value);
			}
		}
		return response;
	}

	private static String authority(BrokerClient client) {
		return URI.create(client.baseUrl()).getAuthority();
	}

	private URI uri(String url) {
		return URI.create(url.startsWith("/") ? this.client.baseUrl() + url : url);
	}

}
