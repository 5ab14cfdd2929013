package io.tokenbroker.security;

import java.util.List;

import jakarta.servlet.Filter;

import org.springframework.security.oauth2.server.resource.web.OAuth2ProtectedResourceMetadataFilter;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * Spring Security's resource server puts two filters into every chain that reads JWTs, and offers no setting to leave
 * them out. The broker uses neither:
 * <ul>
 * <li>DPoP-bound tokens (RFC 9449, a plain {@link AuthenticationFilter} for the {@code DPoP} scheme): the broker's
 * tokens are bearer tokens, and that filter answered a {@code DPoP} header with a bare 401 of its own instead of the
 * chain's problem;</li>
 * <li>the protected resource metadata document (RFC 9728): it answered anyone, and would name no authorization server,
 * as none issues the broker's tokens.</li>
 * </ul>
 * Both also ran on every request of the chain. Without them a {@code DPoP} header carries no credential, and the
 * metadata path is an unknown path.
 */
final class BearerOnlyChains {

	private BearerOnlyChains() {
	}

	static SecurityFilterChain withoutDpopAndMetadata(SecurityFilterChain built) {
		DefaultSecurityFilterChain chain = (DefaultSecurityFilterChain) built;
		List<Filter> kept = chain.getFilters().stream().filter((filter) -> !unused(filter)).toList();
		return new DefaultSecurityFilterChain(chain.getRequestMatcher(), kept);
	}

	private static boolean unused(Filter filter) {
		// Exactly AuthenticationFilter: the broker's own credential filters are classes of their own.
		return filter.getClass() == AuthenticationFilter.class || filter instanceof OAuth2ProtectedResourceMetadataFilter;
	}

}
