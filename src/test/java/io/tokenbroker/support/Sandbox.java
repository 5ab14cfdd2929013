package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Answers the dev-mode sandbox provider's consent form the way a browser would, over plain HTTP. */
public final class Sandbox {

	private Sandbox() {
	}

	/** Posts the consent form for {@code authorizationUrl}; returns the raw answer (a redirect to the callback). */
	public static BrokerClient.Response decide(BrokerClient client, String authorizationUrl, String decision,
			String account, String otherAccount) {
		Map<String, String> query = OAuthDance.query(authorizationUrl);
		String form = "decision=" + decision + "&account=" + enc(account) + "&other_account=" + enc(otherAccount)
				+ "&redirect_uri=" + reenc(query.get("redirect_uri")) + "&state=" + reenc(query.get("state"))
				+ "&scope=" + reenc(query.get("scope")) + "&code_challenge=" + reenc(query.get("code_challenge"));
		return client.send(client.request("/dev/sandbox/authorize", null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	/** The callback URL the sandbox sends the browser to after {@code decision}. */
	public static String callbackUrl(BrokerClient client, String authorizationUrl, String decision) {
		BrokerClient.Response answer = decide(client, authorizationUrl, decision, "alice@sandbox.test", null);
		assertThat(answer.status()).as(answer.toString()).isEqualTo(302);
		return answer.header("Location");
	}

	private static String enc(String value) {
		return (value != null) ? URLEncoder.encode(value, StandardCharsets.UTF_8) : "";
	}

	private static String reenc(String queryValue) {
		return (queryValue != null) ? enc(URLDecoder.decode(queryValue, StandardCharsets.UTF_8)) : "";
	}

}
