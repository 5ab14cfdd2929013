package io.tokenbroker.connection;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.oauth.TokenResult;

import org.springframework.stereotype.Component;

/**
 * Revokes grants at their provider once the local change that gave them up has committed: connections deleted, and the
 * grant a new authorization replaced. Best effort: the provider's answer never fails or undoes the local change.
 * Revoking the refresh token ends the whole grant at most providers; the access token is revoked when there is none.
 */
@Component
class GrantRevocations {

	private static final Logger log = LoggerFactory.getLogger(GrantRevocations.class);

	private final ConnectionSecrets secrets;

	private final ProviderCatalog catalog;

	private final TokenEndpoint tokenEndpoint;

	private final AuditTrail audit;

	GrantRevocations(ConnectionSecrets secrets, ProviderCatalog catalog, TokenEndpoint tokenEndpoint,
			AuditTrail audit) {
		this.secrets = secrets;
		this.catalog = catalog;
		this.tokenEndpoint = tokenEndpoint;
		this.audit = audit;
	}

	/** What revoking {@code row}'s grant takes, read before the row goes; no tokens when they do not decrypt. */
	Revocation of(ConnectionRow row) {
		try {
			return new Revocation(row.connectorConfig(), this.secrets.refreshToken(row), this.secrets.accessToken(row),
					true);
		}
		catch (DecryptionException ex) {
			log.warn("Connection {} does not decrypt; its grant cannot be revoked", row.id());
			return new Revocation(row.connectorConfig(), null, null, false);
		}
	}

	/** Revokes each grant at the provider of {@code type}, if the catalog gives it a revocation endpoint. */
	void revokeAll(String type, List<Revocation> revocations) {
		Provider provider = revocable(type);
		if (provider != null) {
			revocations.forEach((r) -> send(provider, r));
		}
	}

	/**
	 * Revokes the grant {@code previous} held now that a new authorization replaced it with {@code replacement}, and
	 * records the outcome in the audit trail. Nothing is sent for a grant already dead (an expired connection: the
	 * provider refused its refresh, or it had none), when the provider handed the same token back, nor when the
	 * provider's revocation would end the new grant too (the same account, or one that cannot be told apart).
	 */
	void revokeReplaced(ConnectionRow previous, Revocation old, TokenResult replacement, String actor) {
		Provider provider = revocable(previous.integrationType());
		boolean held = previous.status() == ConnectionStatus.ACTIVE
				|| previous.status() == ConnectionStatus.DISCONNECTED;
		if (provider == null || !held || (old.token() == null && old.readable())) {
			return;
		}
		AuditEvent event = AuditEvent.of(AuditActions.CONNECTION_GRANT_REVOKED, previous.appId())
			.withConnector(previous.integrationType(), previous.connectorId())
			.withAppUser(previous.appUserId())
			.withActor(actor);
		if (!old.readable()) {
			this.audit.record(event.failed("credentials_unreadable"));
			return;
		}
		String token = old.token();
		if (token.equals(replacement.refreshToken()) || token.equals(replacement.accessToken())) {
			// Re-authorizing gave back the same grant: it is the new one, not a replaced one.
			return;
		}
		if (provider.revocationEndsEveryGrant() && !otherAccount(previous.accountId(), replacement.accountId())) {
			log.info("Grant replaced at {} is left to expire: revoking it would revoke the new one too",
					provider.type());
			this.audit.record(event.failed("revocation_would_end_new_grant"));
			return;
		}
		this.audit.record(send(provider, old) ? event : event.failed("revocation_failed"));
	}

	private Provider revocable(String type) {
		Provider provider = this.catalog.find(type).orElse(null);
		return (provider != null && provider.revocationUrl() != null && provider.configured()) ? provider : null;
	}

	private boolean send(Provider provider, Revocation r) {
		String token = r.token();
		return token != null && this.tokenEndpoint.revoke(provider, r.config(), token,
				(r.refreshToken() != null) ? "refresh_token" : "access_token");
	}

	private static boolean otherAccount(String previous, String replacement) {
		return previous != null && replacement != null && !Objects.equals(previous, replacement);
	}

	/** A grant to revoke; {@code readable} is false when its stored tokens did not decrypt. */
	record Revocation(Map<String, String> config, String refreshToken, String accessToken, boolean readable) {

		/** The token whose revocation ends the grant: the refresh token, else the access token. */
		String token() {
			return (this.refreshToken != null) ? this.refreshToken : this.accessToken;
		}

		@Override
		public String toString() {
			return "Revocation[****]";
		}

	}

}
