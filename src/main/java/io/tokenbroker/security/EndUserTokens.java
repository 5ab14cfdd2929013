package io.tokenbroker.security;

import java.util.Objects;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Verifies end-user JWTs. Without {@code broker.security.user-token.*} every end-user token is refused, so a
 * deployment that does not use per-end-user connectors exposes nothing through them.
 */
class EndUserTokens {

	static final String PREFIX = "broker.security.user-token";

	private static final int MAX_USER_ID_LENGTH = 255;

	private final JwtDecoder decoder;

	EndUserTokens(UserTokenProperties properties, ServiceTokenProperties serviceTokens) {
		if (properties.configured()) {
			if (JwtDecoders.hasText(properties.hmacSecret())
					&& Objects.equals(properties.hmacSecret(), serviceTokens.hmacSecret())) {
				// One secret for both would let an end user's token pass for a service token and the reverse.
				throw new IllegalStateException(PREFIX + ".hmac-secret must differ from the service-token secret");
			}
			this.decoder = JwtDecoders.build(PREFIX, properties, serviceTokens.audience());
		}
		else {
			this.decoder = (token) -> {
				throw new BadJwtException("End-user tokens are not enabled on this broker");
			};
		}
	}

	/** The decoder for the end-user filter chain. */
	JwtDecoder decoder() {
		return this.decoder;
	}

	/** The end user of a raw token. */
	AppUser verify(String token) {
		Jwt jwt;
		try {
			jwt = this.decoder.decode(token);
		}
		catch (JwtException ex) {
			throw unauthorized("The end-user token is invalid, expired or not issued for this broker.");
		}
		return fromJwt(jwt);
	}

	static AppUser fromJwt(Jwt jwt) {
		Object appId = jwt.getClaims().get("app_id");
		if (!(appId instanceof String app) || !ServiceCaller.isAppId(app)) {
			throw unauthorized("The end-user token has no valid app_id claim.");
		}
		String subject = jwt.getSubject();
		if (subject == null || subject.isEmpty() || subject.length() > MAX_USER_ID_LENGTH
				|| subject.chars().anyMatch(Character::isISOControl)) {
			throw unauthorized("The end-user token has no valid sub claim (the app's user id).");
		}
		return new AppUser(app, subject, displayName(jwt));
	}

	/** How pages may name the user: the token's {@code name}, else {@code email}, when it is short plain text. */
	private static String displayName(Jwt jwt) {
		for (String claim : new String[] { "name", "email" }) {
			if (jwt.getClaims().get(claim) instanceof String value && !value.isBlank() && value.length() <= 200
					&& value.chars().noneMatch(Character::isISOControl)) {
				return value.strip();
			}
		}
		return null;
	}

	static BrokerException unauthorized(String detail) {
		return new BrokerException(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, detail);
	}

}
