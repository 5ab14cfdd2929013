package io.tokenbroker.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The filter chain: stateless bearer-JWT authentication, scope rules per route, problem-shaped 401/403. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String READ = "SCOPE_" + Scopes.READ;

	private static final String ADMIN = "SCOPE_" + Scopes.ADMIN;

	/**
	 * Actuator, which listens only on the management port ({@code management.server.port}): the probes, info and the
	 * Prometheus scrape need no token there, every other endpoint is refused. The matcher only matches requests that
	 * reach the management server, so on the API port {@code /actuator/**} falls to the broker chain like any unknown
	 * path. Keep the management port off the public network (the Helm chart's NetworkPolicy and the compose file do).
	 */
	@Bean
	@Order(0)
	SecurityFilterChain managementFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
				.anyRequest().denyAll());
		return http.build();
	}

	/**
	 * Browser-facing and provider-facing routes that carry no service token: the OAuth callback and the dev sandbox
	 * provider (whose own bearer tokens must not be read as service JWTs), the pages' stylesheet, and Swagger UI when it
	 * is enabled (dev mode only by default).
	 */
	@Bean
	@Order(1)
	SecurityFilterChain publicFilterChain(HttpSecurity http, Environment environment) throws Exception {
		List<String> paths = new ArrayList<>(List.of("/oauth/callback", "/dev/sandbox/**", "/assets/**"));
		if (environment.getProperty("springdoc.swagger-ui.enabled", Boolean.class, false)) {
			paths.addAll(List.of("/swagger-ui.html", "/swagger-ui/**"));
		}
		http.securityMatcher(paths.toArray(String[]::new))
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain brokerFilterChain(HttpSecurity http, JwtDecoder serviceTokenDecoder) throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers();
		http.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/error", "/favicon.ico").permitAll()
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/connectors/*/connection").hasAuthority(READ)
				.requestMatchers(HttpMethod.POST, "/connectors/*/proxy").hasAuthority(READ)
				.requestMatchers(HttpMethod.GET, "/integrations", "/connectors", "/connectors/*")
				.hasAnyAuthority(READ, ADMIN)
				.requestMatchers("/connectors/**").hasAuthority(ADMIN)
				.requestMatchers(HttpMethod.GET, "/audit-events").hasAuthority(ADMIN)
				.requestMatchers("/admin/**").hasAuthority("SCOPE_" + Scopes.OPERATOR)
				.anyRequest().authenticated())
			.oauth2ResourceServer((rs) -> rs.jwt((jwt) -> jwt.decoder(serviceTokenDecoder))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return http.build();
	}

	/** First of all filters, so that nothing after it (security, MVC, their DEBUG logs) sees secret query values. */
	@Bean
	FilterRegistrationBean<QueryStringRedaction> queryStringRedaction() {
		FilterRegistrationBean<QueryStringRedaction> registration = new FilterRegistrationBean<>(
				new QueryStringRedaction());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/** URLs the firewall rejects ({@code //}, {@code ..}, encoded slashes) get a problem, not an empty 400. */
	@Bean
	RequestRejectedHandler problemRequestRejectedHandler() {
		return (request, response, ex) -> Problems.write(response, HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
				"The request URL is not acceptable (double slashes, '..' segments and encoded slashes are refused).");
	}

	@Bean
	JwtDecoder serviceTokenDecoder(ServiceTokenProperties properties) {
		NimbusJwtDecoder decoder;
		if (hasText(properties.jwkSetUri())) {
			decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
		}
		else if (hasText(properties.hmacSecret())) {
			byte[] secret = properties.hmacSecret().getBytes(StandardCharsets.UTF_8);
			if (secret.length < 32) {
				throw new IllegalStateException(
						"broker.security.service-token.hmac-secret must be at least 32 bytes (HS256)");
			}
			decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
				.macAlgorithm(MacAlgorithm.HS256)
				.build();
		}
		else {
			throw new IllegalStateException("No service-token verification configured: set "
					+ "broker.security.service-token.hmac-secret or broker.security.service-token.jwk-set-uri");
		}
		decoder.setJwtValidator(validator(properties));
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(ServiceTokenProperties properties) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(hasText(properties.issuer()) ? JwtValidators.createDefaultWithIssuer(properties.issuer())
				: JwtValidators.createDefault());
		if (hasText(properties.audience())) {
			validators.add(new JwtClaimValidator<List<String>>("aud",
					(aud) -> aud != null && aud.contains(properties.audience())));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	@Bean
	WebMvcConfigurer serviceCallerArgument() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new ServiceCallerResolver());
			}
		};
	}

	private static boolean hasText(String s) {
		return s != null && !s.isBlank();
	}

}
