package io.tokenbroker.support;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * A real OAuth 2.1 authorization server in the test JVM: Spring Authorization Server in its own Spring application
 * on a random port, strict where real providers are strict. Authorization code with PKCE (required), and
 * refresh-token rotation: every refresh issues a new refresh token and the old one answers {@code invalid_grant};
 * refreshes are serialized so that even two concurrent uses of one refresh token cannot both succeed. A refresh token
 * presented again after its use revokes the whole grant, and a superseded access token counts as revoked from the
 * moment of the refresh ({@link TokenEndpointMonitor#revokedAt}). Every request to the token endpoint is observed
 * ({@link TokenEndpointMonitor}): uses per refresh token, tokens issued, refusals, and switches for outages, slow
 * answers and rate limiting. The end user is signed in automatically and consents.
 */
public final class StrictAuthorizationServer implements AutoCloseable {

	public static final String CLIENT_ID = "broker-client";

	/** A client registered without the refresh_token grant: its tokens expire for good. */
	public static final String NO_REFRESH_CLIENT_ID = "broker-client-no-refresh";

	public static final String CLIENT_SECRET = "strict-server-client-secret-0b7c91";

	/** The secret of {@code clientId} (the server wants every client's secret to differ). */
	public static String secretOf(String clientId) {
		return CLIENT_ID.equals(clientId) ? CLIENT_SECRET : CLIENT_SECRET + "-" + clientId;
	}

	public static final List<String> SCOPES = List.of("profile", "calendar.read");

	private final ServletWebServerApplicationContext context;

	private final TokenEndpointMonitor monitor;

	private final StrictAuthorizationServerConfig.Lifetimes lifetimes;

	private final RSAKey signingKey;

	private StrictAuthorizationServer(ServletWebServerApplicationContext context) {
		this.context = context;
		this.monitor = context.getBean(TokenEndpointMonitor.class);
		this.lifetimes = context.getBean(StrictAuthorizationServerConfig.Lifetimes.class);
		this.signingKey = context.getBean(RSAKey.class);
	}

	public static StrictAuthorizationServer start() {
		SpringApplication application = new SpringApplication(StrictAuthorizationServerConfig.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		// Its own configuration only: no application.yaml of the broker (config name), and the broker's mode detection
		// (on the test classpath too) leaves an application alone that is already in the prod profile.
		application.setDefaultProperties(Map.of("spring.config.name", "strict-authorization-server",
				"spring.profiles.active", "prod", "server.port", "0", "server.address", "127.0.0.1",
				"spring.main.banner-mode", "off",
				// Tomcat runs filters only for requests that map to a servlet; the endpoints are all filters.
				"server.servlet.register-default-servlet", "true"));
		return new StrictAuthorizationServer((ServletWebServerApplicationContext) application.run());
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.context.getWebServer().getPort();
	}

	/** Broker settings that register this server as the custom provider {@code type}, as an operator would. */
	public Map<String, String> providerProperties(String type, String clientId) {
		String prefix = "broker.providers." + type + ".";
		Map<String, String> p = new LinkedHashMap<>();
		p.put(prefix + "display-name", "Strict IdP (" + type + ")");
		p.put(prefix + "authorization-url", baseUrl() + "/oauth2/authorize");
		p.put(prefix + "token-url", baseUrl() + "/oauth2/token");
		p.put(prefix + "revocation-url", baseUrl() + "/oauth2/revoke");
		p.put(prefix + "scopes", String.join(",", SCOPES));
		p.put(prefix + "client-id", clientId);
		p.put(prefix + "client-secret", secretOf(clientId));
		return p;
	}

	/** Lifetime of the access tokens issued from now on. */
	public void accessTokenLifetime(Duration lifetime) {
		this.lifetimes.accessToken(lifetime);
	}

	public TokenEndpointMonitor tokenEndpoint() {
		return this.monitor;
	}

	/**
	 * Whether a resource server of this provider accepts {@code accessToken} at {@code at}: signed by this server's
	 * key, and not expired then.
	 */
	public boolean accepts(String accessToken, Instant at) {
		try {
			SignedJWT jwt = SignedJWT.parse(accessToken);
			JWSVerifier verifier = new RSASSAVerifier(this.signingKey.toRSAPublicKey());
			return jwt.verify(verifier) && jwt.getJWTClaimsSet().getExpirationTime().toInstant().isAfter(at);
		}
		catch (ParseException | com.nimbusds.jose.JOSEException ex) {
			return false;
		}
	}

	/**
	 * Whether the grant {@code accessToken} belongs to is still alive here: the access token neither revoked nor expired
	 * (revoking a grant's refresh token revokes its access token too).
	 */
	public boolean isActive(String accessToken) {
		OAuth2Authorization authorization = this.context.getBean(OAuth2AuthorizationService.class)
			.findByToken(accessToken, OAuth2TokenType.ACCESS_TOKEN);
		return authorization != null && authorization.getAccessToken().isActive();
	}

	/** The refresh token issued with {@code accessToken}. */
	public String refreshTokenOf(String accessToken) {
		OAuth2Authorization authorization = this.context.getBean(OAuth2AuthorizationService.class)
			.findByToken(accessToken, OAuth2TokenType.ACCESS_TOKEN);
		if (authorization == null || authorization.getRefreshToken() == null) {
			throw new IllegalStateException("No refresh token for that access token");
		}
		return authorization.getRefreshToken().getToken().getTokenValue();
	}

	/** Revokes the whole grant that {@code accessToken} belongs to, as a user removing the app at the provider. */
	public void revokeGrantOf(String accessToken) {
		OAuth2AuthorizationService authorizations = this.context.getBean(OAuth2AuthorizationService.class);
		OAuth2Authorization authorization = authorizations.findByToken(accessToken, OAuth2TokenType.ACCESS_TOKEN);
		if (authorization == null) {
			throw new IllegalStateException("No grant for that access token");
		}
		authorizations.remove(authorization);
		this.monitor.revoked(accessToken);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
