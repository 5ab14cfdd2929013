package io.tokenbroker.security;

import java.util.Objects;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with token settings that would let the wrong token in: in production a service token must name
 * this broker in {@code aud} (and, with a JWK set, its issuer in {@code iss}); in every mode, when service and end-user
 * tokens come from one identity provider, their audiences must be set and differ, or one kind could pass for the
 * other. Each refusal names the setting to add.
 */
@Component
class TokenSettingsCheck {

	private static final String SERVICE = "broker.security.service-token";

	private static final String USER = EndUserTokens.PREFIX;

	TokenSettingsCheck(ServiceTokenProperties service, UserTokenProperties user, Environment environment) {
		if (environment.acceptsProfiles(Profiles.of("prod")) && service.configured()) {
			requireInProduction(service);
		}
		if (service.configured() && user.configured()) {
			requireDistinguishable(service, user);
		}
	}

	private static void requireInProduction(ServiceTokenProperties service) {
		if (!JwtDecoders.hasText(service.audience())) {
			throw new IllegalStateException(SERVICE + ".audience must be set in production: service tokens must name "
					+ "this broker in their aud claim, so that tokens issued for other services are refused");
		}
		if (service.usesJwkSet() && !JwtDecoders.hasText(service.issuer())) {
			throw new IllegalStateException(SERVICE + ".issuer must be set in production when " + SERVICE
					+ ".jwk-set-uri is used: service tokens must name their identity provider in iss");
		}
	}

	private static void requireDistinguishable(ServiceTokenProperties service, UserTokenProperties user) {
		if (JwtDecoders.hasText(service.audience()) && Objects.equals(service.audience(), user.audience())) {
			throw new IllegalStateException(
					USER + ".audience must differ from " + SERVICE + ".audience, or one kind of token passes for the other");
		}
		boolean sameKeys = service.usesJwkSet() && user.usesJwkSet()
				&& (service.jwkSetUri().equals(user.jwkSetUri()) || (JwtDecoders.hasText(service.issuer())
						&& service.issuer().equals(user.issuer())));
		if (sameKeys && !(JwtDecoders.hasText(service.audience()) && JwtDecoders.hasText(user.audience()))) {
			throw new IllegalStateException("Service and end-user tokens come from one identity provider: set both "
					+ SERVICE + ".audience and " + USER + ".audience (to different values), so that an end-user token "
					+ "can never pass for a service token or the reverse");
		}
	}

}
