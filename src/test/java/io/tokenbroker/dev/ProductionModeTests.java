package io.tokenbroker.dev;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenbroker.BrokerApplication;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;
import io.tokenbroker.support.TestKeys;

import org.springframework.boot.builder.SpringApplicationBuilder;

/** Production mode never invents keys: without them the broker refuses to start and names the missing setting. */
class ProductionModeTests {

	private static final String DATABASE = TestDatabase.newDatabase("prodmode");

	@Test
	void refusesToStartWithoutEncryptionKeyset() {
		Map<String, Object> properties = base();
		properties.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		assertThatThrownBy(() -> start(properties, "prod")).hasStackTraceContaining("broker.crypto.keyset");
	}

	@Test
	void refusesToStartWithoutServiceTokenVerification() {
		Map<String, Object> properties = base();
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		assertThatThrownBy(() -> start(properties, "prod"))
			.hasStackTraceContaining("broker.security.service-token.hmac-secret");
	}

	@Test
	void configuredDatasourceImpliesProductionMode() {
		// No profile at all: a datasource URL alone must not fall back to dev mode's generated keys.
		assertThatThrownBy(() -> start(base())).hasStackTraceContaining("broker.crypto.keyset");
	}

	@Test
	void refusesShortHmacSecret() {
		Map<String, Object> properties = base();
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.hmac-secret", "too-short");
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		assertThatThrownBy(() -> start(properties, "prod")).hasStackTraceContaining("at least 32 bytes");
	}

	@Test
	void refusesServiceTokensWithoutAudience() {
		Map<String, Object> properties = base();
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		assertThatThrownBy(() -> start(properties, "prod"))
			.hasStackTraceContaining("broker.security.service-token.audience must be set in production");
	}

	@Test
	void refusesJwkSetServiceTokensWithoutIssuer() {
		Map<String, Object> properties = base();
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.jwk-set-uri", "https://idp.example.com/jwks.json");
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		assertThatThrownBy(() -> start(properties, "prod"))
			.hasStackTraceContaining("broker.security.service-token.issuer must be set in production");
	}

	@Test
	void refusesOneIdentityProviderForBothKindsOfTokenWithoutDistinctAudiences() {
		Map<String, Object> properties = base();
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.jwk-set-uri", "https://idp.example.com/jwks.json");
		properties.put("broker.security.service-token.issuer", "https://idp.example.com");
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		properties.put("broker.security.user-token.jwk-set-uri", "https://idp.example.com/jwks.json");
		assertThatThrownBy(() -> start(properties, "prod"))
			.hasStackTraceContaining("broker.security.user-token.audience");
	}

	@Test
	void refusesTheSameAudienceForBothKindsOfToken() {
		Map<String, Object> properties = base();
		properties.put("broker.crypto.keyset", TestKeys.KEYSET);
		properties.put("broker.security.service-token.hmac-secret", ServiceTokens.SECRET);
		properties.put("broker.security.service-token.audience", ServiceTokens.AUDIENCE);
		properties.put("broker.security.user-token.hmac-secret", "another-secret-for-end-user-tokens-0123456789");
		properties.put("broker.security.user-token.audience", ServiceTokens.AUDIENCE);
		assertThatThrownBy(() -> start(properties, "prod"))
			.hasStackTraceContaining("broker.security.user-token.audience must differ");
	}

	private static Map<String, Object> base() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", 0);
		properties.put("management.server.port", 0);
		properties.put("spring.datasource.url", DATABASE);
		properties.put("spring.datasource.username", TestDatabase.username());
		properties.put("spring.datasource.password", TestDatabase.password());
		return properties;
	}

	private static void start(Map<String, Object> properties, String... profiles) {
		new SpringApplicationBuilder(BrokerApplication.class).profiles(profiles).properties(properties).run().close();
	}

}
