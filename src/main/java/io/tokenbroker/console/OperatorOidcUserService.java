package io.tokenbroker.console;

import java.util.List;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Admits a person the operator's identity provider signed in only if their email address is on the console's
 * allow-list and the provider vouches for it ({@code email_verified: true}).
 */
class OperatorOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

	private final OidcUserService delegate = new OidcUserService();

	private final ConsoleProperties.Oidc oidc;

	OperatorOidcUserService(ConsoleProperties.Oidc oidc) {
		this.oidc = oidc;
	}

	@Override
	public OidcUser loadUser(OidcUserRequest request) {
		OidcUser user = this.delegate.loadUser(request);
		// A missing email_verified counts as unverified: some providers let anyone claim any address.
		if (!Boolean.TRUE.equals(user.getEmailVerified()) || !this.oidc.allows(user.getEmail())) {
			throw new OAuth2AuthenticationException(new OAuth2Error("access_denied",
					"This account may not use the console (broker.console.oidc.allowed-emails).", null));
		}
		return new DefaultOidcUser(List.of(new SimpleGrantedAuthority(ConsoleOperator.AUTHORITY)), user.getIdToken(),
				user.getUserInfo(), "email");
	}

}
