package io.tokenbroker.support;

import java.time.Duration;
import java.util.Map;

/** Mints end-user JWTs, as an app's own sign-in would, with the tests' end-user HMAC secret. */
public final class UserTokens {

	public static final String SECRET = "test-end-user-token-secret-9876543210-zyxwvut";

	private UserTokens() {
	}

	public static String forUser(String appId, String userId) {
		return ServiceTokens.signExactly(SECRET, Map.of("app_id", appId, "sub", userId), Duration.ofMinutes(10));
	}

}
