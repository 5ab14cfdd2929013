package io.tokenbroker.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tokenbroker.bench.CeilingController;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

/**
 * The filter chains: stateless bearer-JWT authentication, scope rules per route, problem-shaped 401/403. End users
 * authenticate with their own JWT on their few routes (a chain of its own, verified with the end-user keys); every
 * other route takes service-role JWTs.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String READ = "SCOPE_" + Scopes.READ;

	private static final String ADMIN = "SCOPE_" + Scopes.ADMIN;

	/** The routes an end user calls with their own token (native, and the Base44 SDK's user client). */
	static final RequestMatcher END_USER_ROUTES = new OrRequestMatcher(
			pathPattern(HttpMethod.POST, "/app-user-connectors/*/connect"),
			pathPattern(HttpMethod.DELETE, "/app-user-connectors/*/connection"),
			pathPattern(HttpMethod.POST, "/api/apps/*/app-user-auth/connectors/*/initiate"),
			pathPattern(HttpMethod.DELETE, "/api/apps/*/app-user-auth/connectors/*"));

	/** The Base44 wire protocol's routes; their problems also carry {@code message}. */
	static final RequestMatcher BASE44_ROUTES = new OrRequestMatcher(pathPattern("/api/**"),
			pathPattern(HttpMethod.POST, "/oauth/device/code"), pathPattern(HttpMethod.POST, "/oauth/token"));

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
		stateless(http).securityMatcher(paths.toArray(String[]::new))
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain endUserFilterChain(HttpSecurity http, EndUserTokens endUserTokens) throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(
				"An end-user token is required (Authorization: Bearer <end-user JWT>).",
				"The end-user token is invalid, expired or not issued for this broker.", BASE44_ROUTES);
		stateless(http).securityMatcher(END_USER_ROUTES)
			.authorizeHttpRequests((authorize) -> authorize.anyRequest().hasAuthority(AppUserResolver.AUTHORITY))
			.oauth2ResourceServer((rs) -> rs
				.jwt((jwt) -> jwt.decoder(endUserTokens.decoder())
					.jwtAuthenticationConverter((token) -> new JwtAuthenticationToken(token,
							List.of(new SimpleGrantedAuthority(AppUserResolver.AUTHORITY)))))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return http.build();
	}

	/**
	 * The Base44 routes: service-role JWTs, or workspace API keys in the {@code api_key} header (the CLI's
	 * BASE44_API_KEY). The device-code login and CLI token refresh are answered (with errors) by the compat module.
	 */
	@Bean
	@Order(3)
	SecurityFilterChain base44FilterChain(HttpSecurity http, JwtDecoder serviceTokenDecoder,
			ObjectProvider<ApiKeyVerifier> apiKeys) throws Exception {
		ProblemAuthenticationHandlers problems = new ProblemAuthenticationHandlers(
				"A credential is required: Authorization: Bearer <service-role JWT>, or a workspace API key as "
						+ "api_key: b44k_….",
				"The bearer token is invalid, expired or not issued for this broker.", (request) -> true);
		String apps = "/api/apps/*";
		stateless(http).securityMatcher(BASE44_ROUTES)
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(HttpMethod.POST, "/oauth/device/code", "/oauth/token").permitAll()
				.requestMatchers(HttpMethod.GET, apps + "/external-auth/tokens/**",
						apps + "/app-user-auth/connectors/*/token")
				.hasAuthority(READ)
				.requestMatchers(HttpMethod.POST, apps + "/connectors/*/call").hasAuthority(READ)
				.requestMatchers(HttpMethod.GET, apps + "/external-auth/available-integrations",
						apps + "/external-auth/list", apps + "/external-auth/status", apps + "/payments/stripe/status")
				.hasAnyAuthority(READ, ADMIN)
				.requestMatchers("/api/apps/**").hasAuthority(ADMIN)
				.anyRequest().authenticated())
			.addFilterBefore(new ApiKeyAuthenticationFilter(Optional.ofNullable(apiKeys.getIfAvailable()), problems),
					BearerTokenAuthenticationFilter.class)
			.oauth2ResourceServer((rs) -> rs.jwt((jwt) -> jwt.decoder(serviceTokenDecoder))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return http.build();
	}

	@Bean
	SecurityFilterChain brokerFilterChain(HttpSecurity http, JwtDecoder serviceTokenDecoder,
			@Value("${" + CeilingController.PROPERTY + ":false}") boolean benchCeiling) throws Exception {
		ProblemAuthenticationHandlers problems = ProblemAuthenticationHandlers.forServiceTokens();
		// The benchmark's ceiling runs through this same chain, minus authentication, and only when enabled.
		String[] open = benchCeiling ? new String[] { "/error", "/favicon.ico", CeilingController.PATH }
				: new String[] { "/error", "/favicon.ico" };
		stateless(http).authorizeHttpRequests((authorize) -> authorize
			.requestMatchers(open).permitAll()
			.requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
			.requestMatchers(HttpMethod.GET, "/connectors/*/connection").hasAuthority(READ)
			.requestMatchers(HttpMethod.POST, "/connectors/*/proxy").hasAuthority(READ)
			.requestMatchers(HttpMethod.GET, "/integrations", "/connectors", "/connectors/*")
			.hasAnyAuthority(READ, ADMIN)
			.requestMatchers("/connectors/**").hasAuthority(ADMIN)
			.requestMatchers(HttpMethod.GET, "/audit-events").hasAuthority(ADMIN)
			.requestMatchers(HttpMethod.GET, "/app-user-connectors/*/connection").hasAuthority(READ)
			.requestMatchers(HttpMethod.POST, "/app-user-connectors/*/proxy").hasAuthority(READ)
			.requestMatchers("/app-user-connectors", "/app-user-connectors/**").hasAuthority(ADMIN)
			.requestMatchers("/api-keys", "/api-keys/**").hasAuthority(ADMIN)
			.requestMatchers("/admin/**").hasAuthority("SCOPE_" + Scopes.OPERATOR)
			.anyRequest().authenticated())
			.oauth2ResourceServer((rs) -> rs.jwt((jwt) -> jwt.decoder(serviceTokenDecoder))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((e) -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return http.build();
	}

	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable());
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

	/** Spring Security's default firewall, with the same header-value rule checked faster (see HeaderValues). */
	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderValues(HeaderValues::allowed);
		return firewall;
	}

	@Bean
	JwtDecoder serviceTokenDecoder(ServiceTokenProperties properties, UserTokenProperties userTokens,
			ServiceTokenCacheProperties cache, Clock clock) {
		JwtDecoder decoder = JwtDecoders.build("broker.security.service-token", properties, userTokens.audience());
		return (cache.size() > 0) ? new CachingJwtDecoder(decoder, cache, clock) : decoder;
	}

	@Bean
	EndUserTokens endUserTokens(UserTokenProperties properties, ServiceTokenProperties serviceTokens) {
		return new EndUserTokens(properties, serviceTokens);
	}

	@Bean
	WebMvcConfigurer callerArguments(EndUserTokens endUserTokens) {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new ServiceCallerResolver());
				resolvers.add(new AppUserResolver(endUserTokens));
			}
		};
	}

}
