package io.tokenbroker.console;

import java.util.concurrent.locks.ReentrantLock;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;

/**
 * The console's one OIDC client, from {@code broker.console.oidc.*}. The provider's discovery document is read on the
 * first sign-in and kept, not at startup: the broker serves tokens even while the operators' identity provider is
 * down, and a failed discovery is simply tried again at the next sign-in.
 */
class DiscoveredClientRegistration implements ClientRegistrationRepository {

	private final ConsoleProperties.Oidc oidc;

	private final String redirectUri;

	/**
	 * Held while the discovery document is fetched: a lock rather than a monitor, so that a virtual request thread
	 * waiting on the identity provider does not pin its carrier (JDK 21 to 23).
	 */
	private final ReentrantLock discovering = new ReentrantLock();

	private volatile ClientRegistration registration;

	DiscoveredClientRegistration(ConsoleProperties.Oidc oidc, String redirectUri) {
		this.oidc = oidc;
		this.redirectUri = redirectUri;
	}

	@Override
	public ClientRegistration findByRegistrationId(String registrationId) {
		if (!ConsoleSecurityConfiguration.REGISTRATION_ID.equals(registrationId)) {
			return null;
		}
		ClientRegistration current = this.registration;
		if (current == null) {
			this.discovering.lock();
			try {
				current = this.registration;
				if (current == null) {
					current = ClientRegistrations.fromIssuerLocation(this.oidc.issuerUri())
						.registrationId(ConsoleSecurityConfiguration.REGISTRATION_ID)
						.clientName(this.oidc.displayName())
						.clientId(this.oidc.clientId())
						.clientSecret(this.oidc.clientSecret())
						.scope(this.oidc.scopes())
						.redirectUri(this.redirectUri)
						.build();
					this.registration = current;
				}
			}
			finally {
				this.discovering.unlock();
			}
		}
		return current;
	}

}
