package io.tokenbroker.oauth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Microsoft reports granted Graph scopes with the resource prefix ({@code https://graph.microsoft.com/User.Read} for a
 * requested {@code User.Read}) and never lists {@code offline_access}, though the refresh token proves it. This
 * reports them as requested, so a repeated request for the same scopes is recognised as already granted.
 */
@Component
class MicrosoftGraphScopesQuirk implements TokenResponseQuirk {

	private static final String GRAPH = "https://graph.microsoft.com/";

	private static final String OFFLINE_ACCESS = "offline_access";

	@Override
	public String name() {
		return "microsoft-graph-scopes";
	}

	@Override
	public JsonNode normalize(JsonNode body) {
		String scope = JsonPaths.text(body, "scope");
		if (scope == null || !(body instanceof ObjectNode object)) {
			return body;
		}
		List<String> scopes = new ArrayList<>();
		Arrays.stream(scope.trim().split(" +"))
			.map((s) -> s.startsWith(GRAPH) ? s.substring(GRAPH.length()) : s)
			.forEach(scopes::add);
		if (JsonPaths.text(body, "refresh_token") != null && !scopes.contains(OFFLINE_ACCESS)) {
			scopes.add(OFFLINE_ACCESS);
		}
		ObjectNode copy = object.deepCopy();
		copy.put("scope", String.join(" ", scopes));
		return copy;
	}

}
