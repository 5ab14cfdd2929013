package io.tokenbroker.security;

/**
 * An end user of an app, from a verified end-user JWT: {@code sub} is the user's id in the app, {@code app_id} the app.
 * Controllers take it as a parameter. On routes for end users it comes from {@code Authorization}; on service routes
 * from the {@code On-Behalf-Of: Bearer <end-user JWT>} header, and its app must then be the service caller's.
 * {@code displayName} is the token's {@code name} or {@code email} claim, if any: shown, never trusted.
 */
public record AppUser(String appId, String userId, String displayName) {

	public AppUser(String appId, String userId) {
		this(appId, userId, null);
	}

	/** How a page names the user to themselves: their display name from the token, else their id in the app. */
	public String label() {
		return (this.displayName != null) ? this.displayName : this.userId;
	}

}
