package io.tokenbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditEventTests {

	/** The rule as documented: lower-case letters, digits, '_' and '.', starting with a letter, at most 64. */
	private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

	@ParameterizedTest
	@ValueSource(strings = { "token.read", "connection.reauthorization_required", "a", "x9_.y" })
	void acceptsActionsOfTheDocumentedForm(String action) {
		assertThat(AuditEvent.of(action, "app").action()).isEqualTo(action);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Token.read", "9token", "_x", ".x", "token-read", "token read", "tökén", "token\n" })
	void refusesOtherActions(String action) {
		assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of(action, "app"));
	}

	@Test
	void refusesAMissingOrOverlongAction() {
		assertThatIllegalArgumentException().isThrownBy(() -> AuditEvent.of(null, "app"));
		assertThat(AuditEvent.isAction("a".repeat(64))).isTrue();
		assertThat(AuditEvent.isAction("a".repeat(65))).isFalse();
	}

	@Test
	void decidesLikeTheDocumentedRegularExpressionOnEveryShortString() {
		String alphabet = "az09_.AZ-é \u0000";
		for (char a : alphabet.toCharArray()) {
			for (char b : alphabet.toCharArray()) {
				for (String candidate : new String[] { "" + a, "" + a + b, "t" + a + b }) {
					assertThat(AuditEvent.isAction(candidate)).as(candidate)
						.isEqualTo(RULE.matcher(candidate).matches());
				}
			}
		}
	}

}
