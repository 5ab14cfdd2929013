package io.tokenbroker.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tokenbroker.crypto.TokenCipher;

import org.springframework.stereotype.Component;

/**
 * Encrypts endpoint signing secrets at rest. The associated data binds each ciphertext to its app, endpoint and
 * column, so a ciphertext copied to another endpoint (or another app's) fails to decrypt.
 */
@Component
class EndpointSecrets {

	private final TokenCipher cipher;

	EndpointSecrets(TokenCipher cipher) {
		this.cipher = cipher;
	}

	String encryptCurrent(String appId, String endpointId, String secret) {
		return this.cipher.encrypt(secret, associatedData(appId, endpointId, "secret"));
	}

	String encryptPrevious(String appId, String endpointId, String secret) {
		return this.cipher.encrypt(secret, associatedData(appId, endpointId, "previous_secret"));
	}

	String current(String appId, String endpointId, String ciphertext) {
		return this.cipher.decrypt(ciphertext, associatedData(appId, endpointId, "secret"));
	}

	String previous(String appId, String endpointId, String ciphertext) {
		return this.cipher.decrypt(ciphertext, associatedData(appId, endpointId, "previous_secret"));
	}

	/** Whether the ciphertext was written under the keyset's primary key (so re-encryption can leave it). */
	boolean isUnderPrimaryKey(String ciphertext) {
		return this.cipher.isUnderPrimaryKey(ciphertext);
	}

	/** The secrets that sign a delivery now: the current one, and the previous one during a rotation's overlap. */
	List<String> signing(String appId, String endpointId, EndpointStore.Secrets secrets, Instant now) {
		List<String> signing = new ArrayList<>(List.of(current(appId, endpointId, secrets.current())));
		if (secrets.previous() != null && secrets.previousUntil() != null && secrets.previousUntil().isAfter(now)) {
			signing.add(previous(appId, endpointId, secrets.previous()));
		}
		return signing;
	}

	private static String associatedData(String appId, String endpointId, String column) {
		return "webhook_endpoint|" + appId + "|" + endpointId + "|" + column;
	}

}
