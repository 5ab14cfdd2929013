package io.tokenbroker.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import io.tokenbroker.support.MockIdp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

/**
 * A provider 401 on a token near its expiry: the broker refreshes once and repeats idempotent calls once. Tokens with
 * long to live are not refreshed on a 401 (the provider refuses for another reason).
 */
@ExtendWith(OutputCaptureExtension.class)
// Alone: it reads what the JVM logs, and a broker starting or stopping beside it would set the logging up again.
@Isolated
class ProxyTokenRefreshTests extends ProxyBrokerTestBase {

	/**
	 * This broker's log levels (application.yaml's, which keep the HTTP client's wire and header loggers off, and the
	 * DEBUG of ProxyBrokerTestBase) are set when it starts. Any broker started since then, or a test that put the
	 * defaults back, has set the JVM's one logging system up again with other levels: they are set again before each
	 * test, as the broker sets them.
	 */
	@BeforeEach
	void logLevelsOfThisBroker(@Autowired LoggingSystem logging, @Autowired Environment environment) {
		Binder.get(environment)
			.bind("logging.level", Bindable.mapOf(String.class, String.class))
			.orElse(Map.of())
			.forEach((logger, level) -> logging.setLogLevel(logger.equalsIgnoreCase("root") ? null : logger,
					LogLevel.valueOf(level.equalsIgnoreCase("false") ? "OFF" : level.trim().toUpperCase(Locale.ROOT))));
	}

	@Test
	void expiringTokenRejectedWith401IsRefreshedAndTheGetRepeatedWithTheNewToken() {
		String token = connectedAppWithTokenExpiringIn(120);
		String first = accessToken(token);
		String path = rejecting(first);

		JsonNode result = proxy(token, Map.of("path", path)).json();

		assertThat(result.get("success").asBoolean()).as(result.toString()).isTrue();
		assertThat(result.get("status").asInt()).isEqualTo(200);
		List<LoggedRequest> sent = received(path);
		assertThat(sent).hasSize(2);
		assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer " + first);
		String renewed = accessToken(token);
		assertThat(renewed).isNotEqualTo(first);
		assertThat(sent.get(1).getHeader("Authorization")).isEqualTo("Bearer " + renewed);
	}

	@Test
	void repeatedCallIsMadeOnlyOnce() {
		String token = connectedAppWithTokenExpiringIn(120);
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(401)));

		JsonNode result = proxy(token, Map.of("method", "DELETE", "path", path)).json();

		assertThat(result.get("success").asBoolean()).isFalse();
		assertThat(result.get("status").asInt()).isEqualTo(401);
		assertThat(received(path)).hasSize(2);
	}

	@Test
	void postRejectedWith401RefreshesTheTokenButIsNotRepeated() {
		String token = connectedAppWithTokenExpiringIn(120);
		String first = accessToken(token);
		String path = rejecting(first);

		JsonNode result = proxy(token, Map.of("method", "POST", "path", path, "body", Map.of("a", 1))).json();

		assertThat(result.get("status").asInt()).isEqualTo(401);
		assertThat(received(path)).hasSize(1);
		assertThat(accessToken(token)).isNotEqualTo(first);
	}

	@Test
	void tokenWithLongToLiveIsNotRefreshedOn401() {
		String token = connectedApp();
		String first = accessToken(token);
		String path = rejecting(first);

		JsonNode result = proxy(token, Map.of("path", path)).json();

		assertThat(result.get("status").asInt()).isEqualTo(401);
		assertThat(received(path)).hasSize(1);
		assertThat(accessToken(token)).isEqualTo(first);
	}

	@Test
	void tokensNeverAppearInTheLogEvenWithDebugLogging(CapturedOutput output) {
		String token = connectedAppWithTokenExpiringIn(120);
		String first = accessToken(token);
		String path = rejecting(first);

		proxy(token, Map.of("path", path));

		assertThat(output.getAll()).contains("Proxied mockidp GET").doesNotContain(first)
			.doesNotContain(accessToken(token));
	}

	/** A path where the provider rejects {@code token} with 401 and accepts any other. */
	private static String rejecting(String token) {
		String path = unique();
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).atPriority(1)
			.withHeader("Authorization", equalTo("Bearer " + token))
			.willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
		PROVIDER_API.stubFor(any(urlPathEqualTo(path)).atPriority(2).willReturn(okJson("{\"ok\":true}")));
		return path;
	}

	private String connectedAppWithTokenExpiringIn(long seconds) {
		MockIdp.server().enqueueCallback(new DefaultOAuth2TokenCallback(MockIdp.issuer(), "proxy-user", "JWT", null,
				Map.of(), seconds));
		return connectedApp();
	}

}
