package io.tokenbroker.audit;

/**
 * The actions the broker records. Modules may add their own (lower-case, dot-separated); these names are part of the
 * audit API that security teams filter on, so never rename one.
 */
public final class AuditActions {

	/** A token was served (GET connection, or a proxy call that used it). */
	public static final String TOKEN_READ = "token.read";

	/** A call through the proxy. */
	public static final String PROXY_CALL = "proxy.call";

	public static final String CONNECTOR_CREATED = "connector.created";

	public static final String CONNECTOR_UPDATED = "connector.updated";

	public static final String CONNECTOR_DELETED = "connector.deleted";

	/** Removed recoverably: hidden at once, purged after the grace period. */
	public static final String CONNECTOR_REMOVED = "connector.removed";

	/** Brought back within its grace period. */
	public static final String CONNECTOR_RESTORED = "connector.restored";

	/** An authorization link was issued (the browser is sent to the provider). */
	public static final String AUTHORIZATION_STARTED = "authorization.started";

	public static final String AUTHORIZATION_COMPLETED = "authorization.completed";

	/** The provider refused, the code exchange failed, or the callback's state was reused or expired. */
	public static final String AUTHORIZATION_FAILED = "authorization.failed";

	/** One end user's (or the app-wide) connection was deleted. */
	public static final String CONNECTION_DELETED = "connection.deleted";

	/**
	 * The grant a new authorization replaced was revoked at the provider (best effort, after the new grant was
	 * stored). A failure's reason says why it was not: {@code revocation_failed} (the provider refused or was
	 * unreachable), {@code revocation_would_end_new_grant} (the provider's revocation ends every grant of the account,
	 * and the new grant is, or may be, for the same account), {@code credentials_unreadable}.
	 */
	public static final String CONNECTION_GRANT_REVOKED = "connection.grant_revoked";

	/**
	 * A refresh whose replica stopped mid-call (the refresh token sent, no answer stored) was taken over: success when
	 * the provider still accepted the stored refresh token, failure ({@code reauthorization_required}) when it refused
	 * it as used and the connection needs a new authorization.
	 */
	public static final String CONNECTION_REFRESH_INTERRUPTED = "connection.refresh_interrupted";

	/** Every stored token was re-encrypted under the keyset's primary key (deployment-wide). */
	public static final String KEYS_REENCRYPTED = "keys.reencrypted";

	/** The app's profile (the name end users see) changed. */
	public static final String APP_UPDATED = "app.updated";

	public static final String API_KEY_CREATED = "api_key.created";

	public static final String API_KEY_REVOKED = "api_key.revoked";

	private AuditActions() {
	}

}
