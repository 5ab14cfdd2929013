package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The loop must accept and refuse exactly what Spring Security's header-value pattern does. */
class HeaderValuesTests {

	private static final Predicate<String> FRAMEWORK = StrictHttpFirewall.ALLOWED_HEADER_VALUES;

	@Test
	void agreesWithTheFrameworkOnEveryCodePoint() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String value = "a" + new String(Character.toChars(codePoint)) + "b";
			assertThat(HeaderValues.allowed(value)).as("U+%04X", codePoint).isEqualTo(FRAMEWORK.test(value));
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
