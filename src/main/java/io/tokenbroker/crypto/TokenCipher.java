package io.tokenbroker.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;

import org.springframework.util.StreamUtils;

/**
 * Encrypts secrets at rest with a Tink AEAD keyset. The associated data names the row and column a ciphertext belongs
 * to, so a ciphertext copied to another row or column fails to decrypt. New writes use the primary key; older keys
 * of the keyset still decrypt, which is what makes rotation possible.
 */
public class TokenCipher {

	private static final int TINK_PREFIX_LENGTH = 5;

	private final Aead aead;

	private final int primaryKeyId;

	/** The cipher for the configured keyset; fails with a message naming the missing setting. */
	static TokenCipher fromProperties(CryptoProperties properties) {
		return new TokenCipher(loadKeyset(properties));
	}

	private TokenCipher(KeysetHandle handle) {
		try {
			this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
			this.primaryKeyId = handle.getPrimary().getId();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The encryption keyset cannot be used for AEAD", ex);
		}
	}

	/** A cipher for a keyset given as JSON; for tools and tests. */
	public static TokenCipher fromKeysetJson(String keysetJson) {
		try {
			return new TokenCipher(Keysets.parse(keysetJson));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Invalid keyset", ex);
		}
	}

	public String encrypt(String plaintext, String associatedData) {
		try {
			byte[] ciphertext = this.aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
					associatedData.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(ciphertext);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Encryption failed", ex);
		}
	}

	/**
	 * @throws DecryptionException when the ciphertext was tampered with, belongs to another row, or was written with
	 * a key that is no longer in the keyset
	 */
	public String decrypt(String ciphertext, String associatedData) {
		try {
			byte[] plaintext = this.aead.decrypt(Base64.getDecoder().decode(ciphertext),
					associatedData.getBytes(StandardCharsets.UTF_8));
			return new String(plaintext, StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new DecryptionException();
		}
	}

	/** Whether the ciphertext was written under the current primary key (so re-encryption can skip it). */
	public boolean isUnderPrimaryKey(String ciphertext) {
		byte[] bytes = Base64.getDecoder().decode(ciphertext);
		if (bytes.length < TINK_PREFIX_LENGTH) {
			return false;
		}
		int keyId = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8)
				| (bytes[4] & 0xff);
		return keyId == this.primaryKeyId;
	}

	private static KeysetHandle loadKeyset(CryptoProperties properties) {
		String json = properties.keyset();
		if ((json == null || json.isBlank()) && properties.keysetFile() != null) {
			try {
				json = StreamUtils.copyToString(properties.keysetFile().getInputStream(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read broker.crypto.keyset-file " + properties.keysetFile(),
						ex);
			}
		}
		if (json == null || json.isBlank()) {
			throw new IllegalStateException("No encryption keyset configured: set broker.crypto.keyset (Tink JSON) "
					+ "or broker.crypto.keyset-file. Generate one with: java -jar token-broker.jar generate-keyset");
		}
		try {
			return Keysets.parse(json);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("broker.crypto.keyset is not a valid Tink JSON keyset", ex);
		}
	}

	/** A ciphertext that does not decrypt. Carries no data: the message is safe to log. */
	public static class DecryptionException extends RuntimeException {

		DecryptionException() {
			super("Ciphertext does not decrypt with this keyset and associated data", null, false, false);
		}

	}

}
