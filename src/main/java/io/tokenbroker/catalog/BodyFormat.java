package io.tokenbroker.catalog;

/** How a token-endpoint request body is encoded. */
public enum BodyFormat {

	FORM, JSON

}
