package io.tokenbroker.authflow;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicUrl the broker's public base URL; the OAuth callback registered with providers is
 * {@code {public-url}/oauth/callback}
 * @param oauth the authorization flow's settings
 */
@ConfigurationProperties("broker")
public record AuthFlowProperties(@DefaultValue("http://localhost:8080") URI publicUrl, @DefaultValue OAuth oauth) {

	/**
	 * @param stateTtl how long an authorization link stays valid
	 * @param allowedReturnUrls where the browser may be sent after the callback: URL prefixes (scheme, host, port
	 * and path prefix must match)
	 */
	public record OAuth(@DefaultValue("10m") Duration stateTtl, @DefaultValue List<String> allowedReturnUrls) {
	}

	public URI callbackUri() {
		return URI.create(base() + "/oauth/callback");
	}

	/** The connect page an end user's link opens. */
	public String connectUrl(String ticket) {
		return base() + "/connect/" + ticket;
	}

	/** The operator console's address; always an allowed return URL. */
	public URI consoleUrl() {
		return URI.create(base() + "/console");
	}

	/** The public URL's path ({@code ""} at the root), for links the broker's own pages write. */
	public String basePath() {
		String path = URI.create(base()).getRawPath();
		return (path != null) ? path : "";
	}

	private String base() {
		String base = this.publicUrl.toString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

}
