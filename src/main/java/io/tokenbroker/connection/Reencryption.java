package io.tokenbroker.connection;

import java.util.List;

import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;

import org.springframework.stereotype.Service;

/**
 * After a key rotation, rewrites every stored token under the keyset's new primary key, so the old key can later be
 * removed from the keyset. Safe to run while the broker serves: each row is a compare-and-set on its version, and a row
 * changed meanwhile was written under the primary anyway.
 */
@Service
public class Reencryption {

	private static final int PAGE = 200;

	private final ConnectionStore store;

	private final ConnectionSecrets secrets;

	Reencryption(ConnectionStore store, ConnectionSecrets secrets) {
		this.store = store;
		this.secrets = secrets;
	}

	public record Report(long examined, long reencrypted) {
	}

	public Report reencryptAll() {
		long examined = 0;
		long reencrypted = 0;
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
				if (this.store.updateCiphers(row.id(), row.version(),
						this.secrets.encryptAccess(key, this.secrets.accessToken(row)),
						this.secrets.encryptRefresh(key, this.secrets.refreshToken(row)))) {
					reencrypted++;
				}
			}
			if (!page.isEmpty()) {
				after = page.get(page.size() - 1).id();
			}
		}
		while (page.size() == PAGE);
		return new Report(examined, reencrypted);
	}

}
