package io.tokenbroker.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.crypto.TokenCipher.DecryptionException;

import org.springframework.stereotype.Component;

/**
 * After a key rotation, rewrites every endpoint's signing secrets under the keyset's new primary key (part of the
 * operator's re-encryption). Each row is a compare-and-set on its ciphertexts, so a secret rotated meanwhile is left
 * as the rotation wrote it (under the primary key anyway). A previous secret whose overlap has ended signs nothing
 * any more and is dropped rather than re-encrypted.
 */
@Component
public class SecretReencryption {

	private static final Logger log = LoggerFactory.getLogger(SecretReencryption.class);

	private static final int PAGE = 200;

	private final EndpointStore store;

	private final EndpointSecrets secrets;

	private final Clock clock;

	SecretReencryption(EndpointStore store, EndpointSecrets secrets, Clock clock) {
		this.store = store;
		this.secrets = secrets;
		this.clock = clock;
	}

	/** Endpoints looked at, rewritten, and left as they are because their secrets do not decrypt (logged by id). */
	public record Report(long examined, long reencrypted, long unreadable) {
	}

	public Report reencryptAll() {
		long examined = 0;
		long reencrypted = 0;
		long unreadable = 0;
		String after = "";
		List<EndpointStore.StoredSecrets> page;
		do {
			page = this.store.secretsPage(after, PAGE);
			Instant now = Instant.now(this.clock);
			for (EndpointStore.StoredSecrets row : page) {
				examined++;
				try {
					if (reencrypt(row, now)) {
						reencrypted++;
					}
				}
				catch (DecryptionException ex) {
					unreadable++;
					log.warn("The signing secret of webhook endpoint {} does not decrypt with the current keyset; left "
							+ "unchanged (rotate the endpoint's secret)", row.id());
				}
			}
			if (!page.isEmpty()) {
				after = page.get(page.size() - 1).id();
			}
		}
		while (page.size() == PAGE);
		return new Report(examined, reencrypted, unreadable);
	}

	private boolean reencrypt(EndpointStore.StoredSecrets row, Instant now) {
		EndpointStore.Secrets stored = row.secrets();
		boolean previousLive = stored.previous() != null && stored.previousUntil() != null
				&& stored.previousUntil().isAfter(now);
		boolean currentDone = this.secrets.isUnderPrimaryKey(stored.current());
		boolean previousDone = (stored.previous() == null)
				|| (previousLive && this.secrets.isUnderPrimaryKey(stored.previous()));
		if (currentDone && previousDone) {
			return false;
		}
		String current = currentDone ? stored.current()
				: this.secrets.encryptCurrent(row.appId(), row.id(),
						this.secrets.current(row.appId(), row.id(), stored.current()));
		String previous = !previousLive ? null : previousDone ? stored.previous()
				: this.secrets.encryptPrevious(row.appId(), row.id(),
						this.secrets.previous(row.appId(), row.id(), stored.previous()));
		return this.store.replaceSecrets(row.id(), stored, current, previous);
	}

}
