package io.tokenbroker.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.origins.AllowedOrigins;
import io.tokenbroker.origins.EndUserCorsFilter;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ObservationAuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The filter chains decide which kind of credential a request carries: none (the {@link PublicRoute}s), an end user's
 * JWT (the {@link EndUserRoute}s, verified with the end-user keys), or a service-role JWT (everything else; on the
 * Base44 routes also a workspace API key). They authenticate it and answer 401/403 as problems. What a credential may
 * do is declared beside each route and enforced by {@link RouteAccess}; a route declaring nothing is refused.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** The Base44 wire protocol's routes; their problems also carry {@code message}. */
	static final RequestMatcher BASE44_ROUTES = new OrRequestMatcher(pathPattern("/api/**"),
			pathPattern(HttpMethod.POST, "/oauth/device/code"), pathPattern(HttpMethod.POST, "/oauth/token"));

	/** Spring Security's default rule, without its regular expression. */
	private final BearerTokenResolver bearerTokens = new BearerTokens();

	private final boolean observed;

	private final ObservationRegistry observations;

	SecurityConfiguration(Environment environment, ObjectProvider<ObservationRegistry> observations) {
		this.observed = environment.getProperty("management.observations.enable.spring.security", Boolean.class,
				true);
		this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
	}

	/**
	 * With Spring Security's observations switched off ({@code management.observations.enable.spring.security}, off by
	 * default), the filter chains, authentication and authorization are not wrapped for observation at all: switched
	 * off by the property alone, the wrappers stayed on every request and still cost a no-op observation per filter.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return this.observed ? SecurityObservationSettings.withDefaults().build()
				: SecurityObservationSettings.noObservations();
	}

	/**
	 * Actuator, which listens only on the management port ({@code management.server.port}): the probes, info and the
	 * Prometheus scrape need no token there, every other endpoint is refused. The matcher only matches requests that
	 * reach the management server, so on the API port {@code /actuator/**} falls to the broker chain like any unknown
	 * path. Keep the management port off the public network (the Helm chart's NetworkPolicy and the compose file do).
	 */
	@Bean
	@Order(0)
	SecurityFilterChain managementFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(new ManagementServerRequests())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
				.anyRequest().denyAll())
			.exceptionHandling((e) -> e.authenticationEntryPoint(SecurityConfiguration::notExposed)
				.accessDeniedHandler((request, response, denied) -> notExposed(request, response, null)))
			.addFilterAfter(new EmptyNotFoundProblems(), AuthorizationFilter.class);
		return http.build();
	}

	/** The management server's other endpoints (the links page, say): refused as a problem, like everything else. */
	private static void notExposed(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ignored) throws IOException {
		Problems.write(response, HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
				"Only health, info and prometheus are served on the management port.");
	}

	/**
	 * Requests that carry no credential of ours: the public routes (the OAuth callback, the dev sandbox provider whose
	 * own bearer tokens must not be read as service JWTs, ...), the error page, the pages' stylesheet, the OpenAPI
	 * document, and Swagger UI when it is enabled (dev mode only by default).
	 */
	@Bean
	@Order(1)
	SecurityFilterChain publicFilterChain(HttpSecurity http, Environment environment,
			ObjectProvider<RequestMappingHandlerMapping> mappings) throws Exception {
		List<String> paths = new ArrayList<>(
				List.of("/error", "/favicon.ico", "/assets/**", "/v3/api-docs", "/v3/api-docs/**"));
		if (environment.getProperty("springdoc.swagger-ui.enabled", Boolean.class, false)) {
			paths.addAll(List.of("/swagger-ui.html", "/swagger-ui/**"));
		}
		List<RequestMatcher> open = new ArrayList<>(paths.stream().map((path) -> pathPattern(path)).toList());
		open.add(new AnnotatedRoutes(mappings, PublicRoute.class));
		stateless(http).securityMatcher(new OrRequestMatcher(open))
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain endUserFilterChain(HttpSecurity http, EndUserTokens endUserTokens,
			ObjectProvider<RequestMappingHandlerMapping> mappings, AllowedOrigins origins) throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(
				"An end-user token is required (Authorization: Bearer <end-user JWT>).",
				"The end-user token is invalid, expired or not issued for this broker.", BASE44_ROUTES);
		// Browsers call these routes from the app's pages: CORS for allowed origins only, before anything else runs.
		stateless(http)
			.securityMatcher(new OrRequestMatcher(new AnnotatedRoutes(mappings, EndUserRoute.class),
					EndUserCorsFilter.PREFLIGHTS))
			.addFilterAt(new EndUserCorsFilter(origins), CorsFilter.class)
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().hasAuthority(AppUserResolver.AUTHORITY))
			.oauth2ResourceServer((rs) -> rs.bearerTokenResolver(this.bearerTokens)
				.jwt((jwt) -> jwt.authenticationManager(jwtAuthentication(endUserTokens.decoder(),
						(token) -> new JwtAuthenticationToken(token,
								List.of(new SimpleGrantedAuthority(AppUserResolver.AUTHORITY))))))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return BearerOnlyChains.withoutDpopAndMetadata(http.build());
	}

	/**
	 * The Base44 routes: service-role JWTs, or workspace API keys in the {@code api_key} header (the CLI's
	 * BASE44_API_KEY).
	 */
	@Bean
	@Order(3)
	SecurityFilterChain base44FilterChain(HttpSecurity http, JwtDecoder serviceTokenDecoder,
			ObjectProvider<ApiKeyVerifier> apiKeys) throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(
				"A credential is required: Authorization: Bearer <service-role JWT>, or a workspace API key as "
						+ "api_key: b44k_….",
				"The bearer token is invalid, expired or not issued for this broker.", (request) -> true);
		stateless(http).securityMatcher(BASE44_ROUTES)
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.addFilterBefore(new ApiKeyAuthenticationFilter(Optional.ofNullable(apiKeys.getIfAvailable()), problems),
					BearerTokenAuthenticationFilter.class)
			.oauth2ResourceServer((rs) -> rs.bearerTokenResolver(this.bearerTokens)
				.jwt((jwt) -> jwt.authenticationManager(jwtAuthentication(serviceTokenDecoder, null)))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return BearerOnlyChains.withoutDpopAndMetadata(http.build());
	}

	/** Every other request: a service-role JWT. Unknown paths too, so that they reveal nothing without one. */
	@Bean
	SecurityFilterChain brokerFilterChain(HttpSecurity http, JwtDecoder serviceTokenDecoder) throws Exception {
		ProblemAuthenticationHandlers problems = ProblemAuthenticationHandlers.forServiceTokens();
		stateless(http).authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			.oauth2ResourceServer((rs) -> rs.bearerTokenResolver(this.bearerTokens)
				.jwt((jwt) -> jwt.authenticationManager(jwtAuthentication(serviceTokenDecoder, null)))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return BearerOnlyChains.withoutDpopAndMetadata(http.build());
	}

	/**
	 * Verifies a chain's bearer JWTs with its decoder, like the manager Spring Security would build from the chain's
	 * settings, but without publishing an authentication event to the application context for every request (nothing
	 * here listens to them; each was a multicast through the context's listeners) and without asking the global
	 * manager after a refusal (it has no provider for bearer tokens). Observed like Spring Security's own when its
	 * observations are on. {@code converter} null: Spring Security's default ({@code SCOPE_} authorities from the
	 * {@code scope} claim).
	 */
	private AuthenticationManager jwtAuthentication(JwtDecoder decoder,
			Converter<Jwt, ? extends AbstractAuthenticationToken> converter) {
		JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
		if (converter != null) {
			provider.setJwtAuthenticationConverter(converter);
		}
		AuthenticationManager manager = new ProviderManager(provider);
		return this.observed ? new ObservationAuthenticationManager(this.observations, manager) : manager;
	}

	/**
	 * What a chain of bearer credentials without sessions needs of Spring Security's defaults. Not installed: the
	 * request cache; logout (with CSRF off it answered GET, POST, PUT and DELETE /logout on every such chain with a
	 * redirect to a login page that does not exist, and matched every request against those four); and the servlet
	 * API wrapper ({@code getUserPrincipal}, {@code isUserInRole}, {@code login}: no handler reads them; the
	 * handlers take the caller from the security context).
	 */
	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.logout((logout) -> logout.disable())
			.servletApi((servletApi) -> servletApi.disable());
	}

}
