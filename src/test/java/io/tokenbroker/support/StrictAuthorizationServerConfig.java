package io.tokenbroker.support;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The beans of {@link StrictAuthorizationServer}. Deliberately not a {@code @Configuration} (which the broker's
 * component scan would pick up in tests): a plain class used as the primary source of its own application.
 */
@ImportAutoConfiguration(TomcatServletWebServerAutoConfiguration.class)
@EnableWebSecurity
class StrictAuthorizationServerConfig {

	@Bean
	SecurityFilterChain authorizationServerFilterChain(HttpSecurity http) throws Exception {
		http.oauth2AuthorizationServer(Customizer.withDefaults())
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.addFilterAfter(new AutoSignIn(), SecurityContextHolderFilter.class)
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/** Puts Spring Security's filter chain in front of every request. */
	@Bean
	DelegatingFilterProxyRegistrationBean securityFilterChainRegistration() {
		DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean(
				"springSecurityFilterChain");
		registration.setOrder(0);
		return registration;
	}

	@Bean
	RegisteredClientRepository registeredClients() {
		return new InMemoryRegisteredClientRepository(client(StrictAuthorizationServer.CLIENT_ID, true),
				client(StrictAuthorizationServer.NO_REFRESH_CLIENT_ID, false));
	}

	/**
	 * The in-memory store, made safe for concurrent requests: it iterates its map of authorizations awaiting their
	 * code exchange without holding that map's lock, so parallel connects could make a code exchange fail with 500.
	 */
	@Bean
	OAuth2AuthorizationService authorizations() {
		OAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();
		return new OAuth2AuthorizationService() {

			@Override
			public synchronized void save(OAuth2Authorization authorization) {
				store.save(authorization);
			}

			@Override
			public synchronized void remove(OAuth2Authorization authorization) {
				store.remove(authorization);
			}

			@Override
			public synchronized OAuth2Authorization findById(String id) {
				return store.findById(id);
			}

			@Override
			public synchronized OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
				return store.findByToken(token, tokenType);
			}

		};
	}

	@Bean
	RSAKey signingKey() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
			.keyID(UUID.randomUUID().toString())
			.build();
	}

	@Bean
	JWKSource<SecurityContext> jwkSource(RSAKey signingKey) {
		return new ImmutableJWKSet<>(new JWKSet(signingKey));
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings() {
		return AuthorizationServerSettings.builder().build();
	}

	@Bean
	Lifetimes lifetimes() {
		return new Lifetimes();
	}

	/** Access tokens live as long as the test currently wants (changeable at run time). */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> accessTokenLifetime(Lifetimes lifetimes) {
		return (context) -> {
			if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				Instant now = Instant.now();
				context.getClaims().issuedAt(now).notBefore(now).expiresAt(now.plus(lifetimes.accessToken()));
			}
		};
	}

	@Bean
	TokenEndpointMonitor tokenEndpointMonitor(OAuth2AuthorizationService authorizations) {
		return new TokenEndpointMonitor(new GrantFamilies(authorizations));
	}

	@Bean
	FilterRegistrationBean<TokenEndpointMonitor> tokenEndpointMonitorRegistration(TokenEndpointMonitor monitor) {
		FilterRegistrationBean<TokenEndpointMonitor> registration = new FilterRegistrationBean<>(monitor);
		registration.addUrlPatterns("/oauth2/token", "/oauth2/revoke");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	private static RegisteredClient client(String clientId, boolean refresh) {
		RegisteredClient.Builder builder = RegisteredClient.withId(clientId)
			.clientId(clientId)
			.clientSecret("{noop}" + StrictAuthorizationServer.secretOf(clientId))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			// Loopback redirect URIs match on any port (RFC 8252 §7.3), so every broker instance is allowed.
			.redirectUri("http://127.0.0.1/oauth/callback")
			.scopes((scopes) -> scopes.addAll(StrictAuthorizationServer.SCOPES))
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenTimeToLive(Duration.ofMinutes(5))
				.refreshTokenTimeToLive(Duration.ofHours(2))
				.reuseRefreshTokens(false)
				.build());
		if (refresh) {
			builder.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
		}
		return builder.build();
	}

	/** The access token lifetime, changeable while the server runs. */
	static final class Lifetimes {

		private volatile Duration accessToken = Duration.ofMinutes(5);

		Duration accessToken() {
			return this.accessToken;
		}

		void accessToken(Duration lifetime) {
			this.accessToken = lifetime;
		}

	}

	/** Every browser that reaches the authorization endpoint is the same signed-in user, who consents. */
	static final class AutoSignIn extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !request.getRequestURI().equals("/oauth2/authorize");
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			SecurityContextHolder.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken
				.authenticated("end-user", null, AuthorityUtils.createAuthorityList("ROLE_USER"))));
			chain.doFilter(request, response);
		}

	}

}
