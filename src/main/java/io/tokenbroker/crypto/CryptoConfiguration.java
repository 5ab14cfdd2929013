package io.tokenbroker.crypto;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

	@Bean
	TokenCipher tokenCipher(CryptoProperties properties) {
		return TokenCipher.fromProperties(properties);
	}

	/** Health contributor {@code keyMaterial}, part of the readiness group. */
	@Bean
	KeyMaterialHealthIndicator keyMaterialHealthIndicator(TokenCipher tokenCipher) {
		return new KeyMaterialHealthIndicator(tokenCipher);
	}

}
