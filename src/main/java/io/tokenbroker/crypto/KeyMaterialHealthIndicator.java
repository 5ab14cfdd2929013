package io.tokenbroker.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the encryption keys: the keyset loaded (the cipher exists only then), and a fresh value encrypts under
 * the primary key and decrypts back. A replica whose keys cannot do that must not serve tokens. The answer carries no
 * key material, ciphertext or exception text, only the status and, when down, which step failed.
 */
class KeyMaterialHealthIndicator implements HealthIndicator {

	private static final String ASSOCIATED_DATA = "health|key-material";

	private final TokenCipher cipher;

	private final SecureRandom random = new SecureRandom();

	KeyMaterialHealthIndicator(TokenCipher cipher) {
		this.cipher = cipher;
	}

	@Override
	public Health health() {
		String probe = randomValue();
		String ciphertext;
		try {
			ciphertext = this.cipher.encrypt(probe, ASSOCIATED_DATA);
		}
		catch (RuntimeException ex) {
			return down("encrypt");
		}
		try {
			if (!probe.equals(this.cipher.decrypt(ciphertext, ASSOCIATED_DATA))) {
				return down("decrypt");
			}
		}
		catch (RuntimeException ex) {
			return down("decrypt");
		}
		if (!this.cipher.isUnderPrimaryKey(ciphertext)) {
			return down("primary-key");
		}
		return Health.up().build();
	}

	private static Health down(String failedStep) {
		return Health.down().withDetail("failedStep", failedStep).build();
	}

	private String randomValue() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return new String(Base64.getEncoder().encode(bytes), StandardCharsets.US_ASCII);
	}

}
