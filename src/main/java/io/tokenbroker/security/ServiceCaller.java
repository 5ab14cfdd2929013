package io.tokenbroker.security;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authenticated service behind a request: who it is ({@code sub}), the app it acts for ({@code app_id}) and its
 * scopes. Controllers take it as a parameter; it is never built from request input.
 */
public record ServiceCaller(String subject, String appId, Set<String> scopes) {

	private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

	/** Whether {@code value} is an app id a credential can name ({@code [A-Za-z0-9_.:-]}, at most 128). */
	public static boolean isAppId(String value) {
		return value != null && APP_ID.matcher(value).matches();
	}

	public boolean hasScope(String scope) {
		return this.scopes.contains(scope);
	}

}
