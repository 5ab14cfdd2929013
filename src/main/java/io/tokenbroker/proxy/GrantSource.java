package io.tokenbroker.proxy;

import java.util.Optional;

import io.tokenbroker.connection.AccessGrant;
import io.tokenbroker.connection.TokenService;

/**
 * Where a proxied call gets its token: an app's connection of a type, a connector's connection named by id, for the
 * app or for one end user. The proxy does not care which.
 */
public interface GrantSource {

	/**
	 * A valid token.
	 * @throws io.tokenbroker.problem.BrokerException when there is none (404 no connector, 409 not connected, ...)
	 */
	AccessGrant grant();

	/** A replacement for a token the provider rejected with 401, or empty when there is none worth trying. */
	Optional<AccessGrant> renewAfterRejection(AccessGrant rejected);

	/** The connection of the app's connector of {@code type} ({@link TokenService#APP_WIDE} or an end user's). */
	static GrantSource ofType(TokenService tokens, String appId, String type, String appUserId) {
		return new GrantSource() {

			@Override
			public AccessGrant grant() {
				return tokens.accessGrant(appId, type, appUserId);
			}

			@Override
			public Optional<AccessGrant> renewAfterRejection(AccessGrant rejected) {
				return tokens.renewRejected(appId, type, appUserId, rejected);
			}

		};
	}

	/** The connection of the app's connector {@code connectorId} ({@link TokenService#APP_WIDE} or an end user's). */
	static GrantSource ofConnector(TokenService tokens, String appId, String connectorId, String appUserId) {
		return new GrantSource() {

			@Override
			public AccessGrant grant() {
				return tokens.accessGrantByConnectorId(appId, connectorId, appUserId);
			}

			@Override
			public Optional<AccessGrant> renewAfterRejection(AccessGrant rejected) {
				return tokens.renewRejectedByConnectorId(appId, connectorId, appUserId, rejected);
			}

		};
	}

}
