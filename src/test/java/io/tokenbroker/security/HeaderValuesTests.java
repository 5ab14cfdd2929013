package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The loops must accept and refuse exactly what Spring Security's header-value and header-name patterns do. */
class HeaderValuesTests {

	private static final Predicate<String> FRAMEWORK = StrictHttpFirewall.ALLOWED_HEADER_VALUES;

	private static final Predicate<String> FRAMEWORK_NAMES = StrictHttpFirewall.ALLOWED_HEADER_NAMES;

	@Test
	void agreesWithTheFrameworkOnEveryCodePoint() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String value = "a" + new String(Character.toChars(codePoint)) + "b";
			assertThat(HeaderValues.allowed(value)).as("U+%04X", codePoint).isEqualTo(FRAMEWORK.test(value));
		}
	}

	@Test
	void namesAgreeWithTheFrameworkOnEveryCodePoint() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String name = "X-" + new String(Character.toChars(codePoint));
			assertThat(HeaderValues.allowedName(name)).as("U+%04X", codePoint).isEqualTo(FRAMEWORK_NAMES.test(name));
		}
	}

	@Test
	void namesAgreeWithTheFrameworkOnTabsSurrogatesAndTypicalNames() {
		for (String name : new String[] { "", "Authorization", "X-Request-Id", "a\tb", "\uD800", "x\uDC00y",
				"\uD83D\uDE00", "a\u007fb" }) {
			assertThat(HeaderValues.allowedName(name)).as(name).isEqualTo(FRAMEWORK_NAMES.test(name));
		}
	}

	@Test
	void agreesWithTheFrameworkOnLoneSurrogatesAndTypicalValues() {
		for (String value : new String[] { "", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "a\tb", "a\nb", "a\u0000",
				"\uD800", "x\uDC00y", "\uD83D\uDE00", "caf\u00e9", "a\u007fb", "a\u0085b" }) {
			assertThat(HeaderValues.allowed(value)).as(value).isEqualTo(FRAMEWORK.test(value));
		}
	}

}
