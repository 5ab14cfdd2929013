package io.tokenbroker.authflow;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;

/**
 * The headers of every page the broker shows a person. The pages run no script and load only the broker's own
 * stylesheet, so the policy can forbid everything else; they may carry the outcome of an authorization, so they are
 * never cached and never leak their URL through a Referer header.
 */
public final class PagePolicy {

	/** Where the one stylesheet lives, below the public URL's path. */
	public static final String STYLESHEET_PATH = "/assets/broker.css";

	private PagePolicy() {
	}

	/**
	 * @param formAction the CSP {@code form-action} sources: {@code 'none'} for pages without forms, {@code 'self'}
	 * for forms that post to the broker (and the origins a form's redirect may lead to, which browsers check too)
	 */
	public static String contentSecurityPolicy(String formAction) {
		return "default-src 'none'; style-src 'self'; img-src 'self'; form-action " + formAction
				+ "; frame-ancestors 'none'; base-uri 'none'";
	}

	public static HttpHeaders headers(String formAction) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("Content-Security-Policy", contentSecurityPolicy(formAction));
		headers.set("Referrer-Policy", "no-referrer");
		headers.set("X-Content-Type-Options", "nosniff");
		headers.setCacheControl(CacheControl.noStore());
		return headers;
	}

}
