package io.tokenbroker.oauth;

import java.util.concurrent.TimeUnit;

import feign.Logger;
import feign.Request;
import feign.Retryer;
import feign.codec.Encoder;

import org.springframework.context.annotation.Bean;

/**
 * Settings of {@link ProviderHttpClient}: bodies are pre-encoded strings, no redirects (a token endpoint that
 * redirects is misconfigured, and following it could leak the client secret), no retries here (the refresher decides),
 * and no request logging (bodies hold secrets). Public because the bean definitions that Spring's ahead-of-time
 * processing generates for Feign's client contexts name it from Spring Cloud's package.
 */
public class ProviderHttpClientConfiguration {

	@Bean
	Encoder providerOauthEncoder() {
		return new Encoder.Default();
	}

	@Bean
	Retryer providerOauthRetryer() {
		return Retryer.NEVER_RETRY;
	}

	@Bean
	Logger.Level providerOauthLogLevel() {
		return Logger.Level.NONE;
	}

	@Bean
	Request.Options providerOauthOptions(ProviderClientProperties properties) {
		return new Request.Options(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS,
				properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS, false);
	}

}
