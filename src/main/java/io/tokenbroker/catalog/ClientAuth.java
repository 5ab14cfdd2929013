package io.tokenbroker.catalog;

/** How the broker authenticates as the OAuth client at the token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuth {

	/** {@code client_secret_post}: id and secret in the request body. */
	BODY,

	/** {@code client_secret_basic}: HTTP Basic with the form-urlencoded id and secret. */
	BASIC

}
