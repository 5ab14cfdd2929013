package io.tokenbroker.security;

import java.util.Set;

/**
 * The authenticated service behind a request: who it is ({@code sub}), the app it acts for ({@code app_id}) and its
 * scopes. Controllers take it as a parameter; it is never built from request input.
 */
public record ServiceCaller(String subject, String appId, Set<String> scopes) {

	public boolean hasScope(String scope) {
		return this.scopes.contains(scope);
	}

}
