package io.tokenbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Connection-config values fill provider URLs, but never move them to another host. */
class UrlTemplatesTests {

	private static final String TOKEN_URL = "https://{tenant}.idp.example/oauth/token";

	@Test
	void aValueFillsTheHostWithinTheTemplatesShape() {
		UrlTemplates.Expanded url = UrlTemplates.expandUrl(TOKEN_URL, Map.of("tenant", "acme"));
		assertThat(url.uri().toString()).isEqualTo("https://acme.idp.example/oauth/token");
		assertThat(url.hostFromValues()).isTrue();
	}

	@Test
	void aValueThatEndsOrReplacesTheHostIsRefused() {
		for (String value : new String[] { "evil.test/x?", "evil.test#", "evil.test?", "user@evil.test/",
				"evil.test:8443/", "evil.test\\", "a b" }) {
			assertThatIllegalArgumentException().as(value)
				.isThrownBy(() -> UrlTemplates.expandUrl(TOKEN_URL, Map.of("tenant", value)));
		}
	}

	@Test
	void aPathValueNeverChangesALiteralHost() {
		String template = "https://login.example.com/{tenant}/token";
		assertThat(UrlTemplates.expandUrl(template, Map.of("tenant", "common")).hostFromValues()).isFalse();
		assertThat(UrlTemplates.expandUrl(template, Map.of("tenant", "@evil.test")).uri().getHost())
			.isEqualTo("login.example.com");
	}

	@Test
	void theFixedHostSuffixIsWhatFollowsTheLastPlaceholder() {
		assertThat(UrlTemplates.fixedHostSuffix(TOKEN_URL)).isEqualTo(".idp.example");
		assertThat(UrlTemplates.fixedHostSuffix("https://{host}:8443/token")).isEmpty();
		assertThat(UrlTemplates.hostPlaceholders("https://{a}.{b}.example/{c}")).containsExactly("a", "b");
	}

}
