package io.tokenbroker.connection;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.audit.AuditActions;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.webhook.SecretReencryption;

import org.springframework.stereotype.Service;

/**
 * After a key rotation, rewrites every stored token, and every webhook endpoint's signing secrets, under the keyset's
 * new primary key, so the old key can later be removed from the keyset. Safe to run while the broker serves: each row is a compare-and-set on its version, and a row
 * changed meanwhile was written under the primary anyway.
 */
@Service
public class Reencryption {

	private static final Logger log = LoggerFactory.getLogger(Reencryption.class);

	private static final int PAGE = 200;

	private final ConnectionStore store;

	private final ConnectionSecrets secrets;

	private final AuditTrail audit;

	private final SecretReencryption webhookSecrets;

	Reencryption(ConnectionStore store, ConnectionSecrets secrets, AuditTrail audit,
			SecretReencryption webhookSecrets) {
		this.store = store;
		this.secrets = secrets;
		this.audit = audit;
		this.webhookSecrets = webhookSecrets;
	}

	/**
	 * Connection and webhook endpoint rows together.
	 * @param unreadable rows that do not decrypt with the current keyset (tampered, or written under a key that was
	 * already removed); they are left as they are and logged by id
	 */
	public record Report(long examined, long reencrypted, long unreadable) {
	}

	public Report reencryptAll() {
		long examined = 0;
		long reencrypted = 0;
		long unreadable = 0;
		String after = "";
		List<ConnectionRow> page;
		do {
			page = this.store.page(after, PAGE);
			for (ConnectionRow row : page) {
				examined++;
				if (this.secrets.isUnderPrimaryKey(row.accessTokenCipher())
						&& this.secrets.isUnderPrimaryKey(row.refreshTokenCipher())) {
					continue;
				}
				ConnectionKey key = ConnectionKey.of(row);
				try {
					if (this.store.updateCiphers(row.id(), row.version(),
							this.secrets.encryptAccess(key, this.secrets.accessToken(row)),
							this.secrets.encryptRefresh(key, this.secrets.refreshToken(row)))) {
						reencrypted++;
					}
				}
				catch (DecryptionException ex) {
					unreadable++;
					log.warn("Connection {} does not decrypt with the current keyset; left unchanged", row.id());
				}
			}
			if (!page.isEmpty()) {
				after = page.get(page.size() - 1).id();
			}
		}
		while (page.size() == PAGE);
		SecretReencryption.Report endpoints = this.webhookSecrets.reencryptAll();
		examined += endpoints.examined();
		reencrypted += endpoints.reencrypted();
		unreadable += endpoints.unreadable();
		AuditEvent event = AuditEvent.of(AuditActions.KEYS_REENCRYPTED, AuditEvent.DEPLOYMENT);
		this.audit.record((unreadable > 0) ? event.failed("rows_unreadable") : event);
		return new Report(examined, reencrypted, unreadable);
	}

}
