package io.tokenbroker.connection;

/** Where a connection stands with its provider. */
public enum ConnectionStatus {

	/** Authorization started but not completed. */
	PENDING,

	/** Holds a usable grant. */
	ACTIVE,

	/** The grant is gone (refresh rejected, revoked, or expired without a refresh token): re-authorize. */
	EXPIRED,

	/** Disconnected on purpose. */
	DISCONNECTED;

	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
