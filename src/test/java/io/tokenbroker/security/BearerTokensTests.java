package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The loop must resolve, ignore and refuse exactly what Spring Security's default resolver does. */
class BearerTokensTests {

	private final BearerTokenResolver framework = new DefaultBearerTokenResolver();

	private final BearerTokenResolver loop = new BearerTokens();

	@Test
	void agreesWithTheFrameworkOnTypicalAndMalformedHeaders() {
		List<String> values = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Bearer  abc", "bearer abc", "BEARER abc",
				"BeArEr abc", "Bearerabc", "Bearer\tabc", "Bearer abc ", "Bearer abc==", "Bearer ==", "Bearer a=b",
				"Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "Bearer a-._~+/z", "Bearer abc\n", "Bearer ab\u00e9",
				"Basic dXNlcjpwYXNz", "Bearer\u00a0abc", "Bearer abc=\n", "bearer= x", "Bearers abc",
				"\u0130earer abc", "Bearer \u212a"));
		Random random = new Random(7);
		String alphabet = "aZ09-._~+/= \t\n:;,%\u00e9";
		for (int i = 0; i < 20_000; i++) {
			StringBuilder value = new StringBuilder(random.nextBoolean() ? "Bearer " : "bEaReR");
			for (int n = random.nextInt(12); n > 0; n--) {
				value.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			values.add(value.toString());
		}
		for (String value : values) {
			assertThat(outcome(this.loop, value)).as("[%s]", value).isEqualTo(outcome(this.framework, value));
		}
	}

	@Test
	void noHeaderIsNoToken() {
		assertThat(this.loop.resolve(new MockHttpServletRequest())).isNull();
	}

	@Test
	void accessTokenParametersAreNotRead() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/connectors");
		request.setParameter("access_token", "abc");
		assertThat(this.loop.resolve(request)).isNull();
	}

	private static String outcome(BearerTokenResolver resolver, String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/connectors");
		request.addHeader("Authorization", authorization);
		Throwable thrown = catchThrowable(() -> resolver.resolve(request));
		if (thrown instanceof OAuth2AuthenticationException ex) {
			return "refused: " + ex.getError().getErrorCode() + " " + ex.getError().getDescription();
		}
		assertThat(thrown).isNull();
		return "token: " + resolver.resolve(request);
	}

}
