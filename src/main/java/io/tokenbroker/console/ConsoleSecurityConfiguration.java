package io.tokenbroker.console;

import io.tokenbroker.authflow.AuthFlowProperties;
import io.tokenbroker.authflow.PagePolicy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The console's own filter chain: unlike the API's, it keeps a session (cookie settings under
 * {@code server.servlet.session.cookie}), checks a CSRF token on every POST, and sends people to a sign-in page.
 * Sign-in is automatic in dev mode unless an OIDC provider is configured, with that provider when it is, and with a
 * workspace API key when an {@link ApiKeySignIn} exists.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

	static final String LOGIN_PAGE = "/console/login";

	static final String REGISTRATION_ID = "console";

	@Bean
	@Order(0)
	SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties properties,
			AuthFlowProperties flow, Environment environment, ConsoleFormTargets formTargets,
			ObjectProvider<ApiKeySignIn> apiKeySignIn, ConsoleErrorPages errors) throws Exception {
		SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
				new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
		http.securityMatcher("/console", "/console/**")
			.securityContext((context) -> context.securityContextRepository(contexts))
			.authorizeHttpRequests((authorize) -> authorize.requestMatchers(LOGIN_PAGE)
				.permitAll()
				.anyRequest()
				.hasAuthority(ConsoleOperator.AUTHORITY))
			.headers((headers) -> headers
				.contentSecurityPolicy((csp) -> csp
					.policyDirectives(PagePolicy.contentSecurityPolicy(formTargets.formAction())))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE))
				.accessDeniedHandler(errors))
			.logout((logout) -> logout.logoutUrl("/console/logout").logoutSuccessUrl(LOGIN_PAGE + "?signed-out"));
		if (properties.oidc().enabled()) {
			if (properties.oidc().allowedEmails().isEmpty()) {
				throw new IllegalStateException("broker.console.oidc.allowed-emails must name who may sign in "
						+ "(addresses, or domains as @example.com)");
			}
			http.oauth2Login((login) -> login.loginPage(LOGIN_PAGE)
				.clientRegistrationRepository(new DiscoveredClientRegistration(properties.oidc(),
						flow.consoleUrl() + "/login/oauth2/code/" + REGISTRATION_ID))
				.authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
				.authorizationEndpoint((endpoint) -> endpoint.baseUri("/console/oauth2/authorization"))
				.redirectionEndpoint((endpoint) -> endpoint.baseUri("/console/login/oauth2/code/*"))
				.userInfoEndpoint((userInfo) -> userInfo.oidcUserService(new OperatorOidcUserService(properties.oidc())))
				.defaultSuccessUrl("/console", false)
				.failureHandler(new SimpleUrlAuthenticationFailureHandler(LOGIN_PAGE + "?error=oidc")));
		}
		else if (environment.acceptsProfiles(Profiles.of("dev"))) {
			http.addFilterBefore(new DevSignInFilter(contexts), AnonymousAuthenticationFilter.class);
		}
		ApiKeySignIn keys = apiKeySignIn.getIfAvailable();
		if (keys != null) {
			http.addFilterBefore(new ApiKeySignInFilter(keys, contexts), AnonymousAuthenticationFilter.class);
		}
		return http.build();
	}

	/** The sign-in methods this broker offers, for the sign-in page. */
	@Bean
	SignInMethods consoleSignInMethods(ConsoleProperties properties, Environment environment,
			ObjectProvider<ApiKeySignIn> apiKeySignIn) {
		boolean oidc = properties.oidc().enabled();
		return new SignInMethods(!oidc && environment.acceptsProfiles(Profiles.of("dev")),
				oidc ? properties.oidc().displayName() : null,
				oidc ? "/console/oauth2/authorization/" + REGISTRATION_ID : null, apiKeySignIn.getIfAvailable() != null);
	}

	/**
	 * @param automatic dev mode's automatic sign-in
	 * @param oidcName the OIDC provider's display name, null when not configured
	 * @param oidcStart where the OIDC sign-in starts
	 * @param apiKey whether workspace API keys can sign in
	 */
	record SignInMethods(boolean automatic, String oidcName, String oidcStart, boolean apiKey) {

		public boolean any() {
			return this.automatic || this.oidcName != null || this.apiKey;
		}

	}

}
