package io.tokenbroker.console;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator console's settings.
 * @param restoreGrace how long a connection disconnected from the console keeps its (encrypted) tokens and can be
 * restored; afterwards it is deleted and its grant revoked at the provider
 * @param oidc sign-in with the operator's OpenID Connect provider
 */
@ConfigurationProperties("broker.console")
record ConsoleProperties(@DefaultValue("7d") Duration restoreGrace, @DefaultValue Oidc oidc) {

	/**
	 * @param issuerUri the provider's issuer (its discovery document is read on first sign-in, not at startup)
	 * @param clientId the console's client at that provider
	 * @param clientSecret its secret
	 * @param scopes scopes requested at sign-in
	 * @param allowedEmails who may sign in: addresses ({@code ops@example.com}) or whole domains
	 * ({@code @example.com}); required when OIDC is configured, so that an identity provider open to everyone cannot
	 * open the console to everyone
	 * @param displayName the provider's name on the sign-in button
	 */
	public record Oidc(String issuerUri, String clientId, String clientSecret,
			@DefaultValue({ "openid", "email", "profile" }) List<String> scopes,
			@DefaultValue List<String> allowedEmails,
			@DefaultValue("your identity provider") String displayName) {

		public boolean enabled() {
			return hasText(this.issuerUri) && hasText(this.clientId);
		}

		/** Whether {@code email} is on the allow-list: an exact address or an address of an allowed domain. */
		public boolean allows(String email) {
			if (email == null) {
				return false;
			}
			String candidate = email.toLowerCase(Locale.ROOT);
			return this.allowedEmails.stream().map((entry) -> entry.strip().toLowerCase(Locale.ROOT)).anyMatch(
					(entry) -> entry.startsWith("@") ? candidate.endsWith(entry) : candidate.equals(entry));
		}

		@Override
		public String toString() {
			return "Oidc[issuerUri=" + this.issuerUri + ", clientId=" + this.clientId + ", clientSecret=****]";
		}

		private static boolean hasText(String value) {
			return value != null && !value.isBlank();
		}

	}

}
