package io.tokenbroker.oauth;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Slack's user token (integration type {@code slack}): the code exchange puts it under {@code authed_user}, but a
 * refresh of a rotating user token answers with the user token at the top level and {@code token_type: user}. This
 * moves such an answer under {@code authed_user}, so one set of catalog paths reads both.
 */
@Component
class SlackUserTokenQuirk implements TokenResponseQuirk {

	private static final String[] USER_FIELDS = { "access_token", "refresh_token", "expires_in", "scope",
			"token_type" };

	@Override
	public String name() {
		return "slack-user-token";
	}

	@Override
	public JsonNode normalize(JsonNode body) {
		if (body.has("authed_user") || !"user".equals(JsonPaths.text(body, "token_type"))
				|| !(body instanceof ObjectNode top)) {
			return body;
		}
		ObjectNode copy = top.deepCopy();
		ObjectNode user = copy.putObject("authed_user");
		for (String field : USER_FIELDS) {
			JsonNode value = copy.remove(field);
			if (value != null) {
				user.set(field, value);
			}
		}
		return copy;
	}

}
