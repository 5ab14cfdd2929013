package io.tokenbroker.catalog;

/** How a connection of a type obtains its credential. */
public enum AuthMode {

	/** OAuth 2.0 authorization-code flow. */
	OAUTH2,

	/** A secret the operator or app supplies directly (e.g. a Stripe key), stored and served like a token. */
	API_KEY

}
