package io.tokenbroker.security;

/** The scopes a service-role JWT may carry in its {@code scope} claim. */
public final class Scopes {

	/** Fetch tokens (GET connection, proxy). */
	public static final String READ = "connectors:read";

	/** Manage the app's connectors. */
	public static final String ADMIN = "connectors:admin";

	/** Deployment-wide maintenance such as re-encrypting every row after a key rotation. Not bound to an app. */
	public static final String OPERATOR = "broker:operator";

	private Scopes() {
	}

}
