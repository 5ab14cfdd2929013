package io.tokenbroker.oauth;

import tools.jackson.databind.JsonNode;

/** Reads dotted paths such as {@code authed_user.access_token} from a token response. */
final class JsonPaths {

	private JsonPaths() {
	}

	static JsonNode node(JsonNode root, String path) {
		if (path == null || root == null) {
			return null;
		}
		JsonNode node = root;
		for (String part : path.split("\\.")) {
			node = node.get(part);
			if (node == null || node.isNull()) {
				return null;
			}
		}
		return node;
	}

	/** The value at {@code path} as text (numbers and booleans too), or null when absent or not a scalar. */
	static String text(JsonNode root, String path) {
		JsonNode node = node(root, path);
		if (node == null || !node.isValueNode()) {
			return null;
		}
		String text = node.asString();
		return (text == null || text.isEmpty()) ? null : text;
	}

}
