package io.tokenbroker.oauth;

import tools.jackson.databind.JsonNode;

/**
 * Provider behaviour in a successful token response that the catalog's data cannot describe. A catalog entry selects
 * one by its {@code quirk} name; the rest of the broker never asks which provider it talks to.
 */
interface TokenResponseQuirk {

	/** The name a catalog entry's {@code quirk} uses. */
	String name();

	/** The response rewritten into the shape the catalog's token-response paths describe. */
	JsonNode normalize(JsonNode body);

}
