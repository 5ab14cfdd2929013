package io.tokenbroker.security;

import java.time.Clock;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** How credentials are verified, and how handlers receive the verified caller ({@link ServiceCaller}, {@link AppUser}). */
@Configuration(proxyBeanMethods = false)
class CredentialConfiguration {

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
