package io.tokenbroker.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CSP sources that let the console's "Connect" form redirect to a provider's authorization page. */
class ConsoleFormTargetsTests {

	@Test
	void anAuthorizationUrlContributesItsOrigin() {
		assertThat(ConsoleFormTargets.source("https://accounts.google.com/o/oauth2/v2/auth?prompt=consent"))
			.isEqualTo("https://accounts.google.com");
		assertThat(ConsoleFormTargets.source("http://localhost:8081/default/authorize"))
			.isEqualTo("http://localhost:8081");
	}

	@Test
	void aTemplatedFirstHostLabelBecomesAWildcard() {
		assertThat(ConsoleFormTargets.source("https://{subdomain}.zendesk.com/oauth/authorizations/new"))
			.isEqualTo("https://*.zendesk.com");
	}

	@Test
	void aTemplateElsewhereInTheHostAllowsAnyHttpsOrigin() {
		assertThat(ConsoleFormTargets.source("https://login.{region}.example.com/authorize")).isEqualTo("https:");
		assertThat(ConsoleFormTargets.source("{base}/authorize")).isEqualTo("https:");
	}

}
