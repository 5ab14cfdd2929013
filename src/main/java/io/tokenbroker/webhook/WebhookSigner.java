package io.tokenbroker.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the Standard Webhooks specification defines them: {@code v1,} and the base64 HMAC-SHA256, keyed with
 * the secret's bytes, of {@code webhook-id.webhook-timestamp.body}. Secrets are {@code whsec_} and base64 bytes.
 * Several signatures (during a secret rotation) are separated by spaces.
 */
final class WebhookSigner {

	static final String SECRET_PREFIX = "whsec_";

	private static final int SECRET_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSigner() {
	}

	static String newSecret() {
		byte[] key = new byte[SECRET_BYTES];
		RANDOM.nextBytes(key);
		return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
	}

	/** The {@code webhook-signature} header: one signature per secret, in the order given. */
	static String signatures(List<String> secrets, String messageId, long timestamp, String body) {
		return secrets.stream().map((secret) -> sign(secret, messageId, timestamp, body))
			.collect(Collectors.joining(" "));
	}

	static String sign(String secret, String messageId, long timestamp, String body) {
		String base64Key = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
			byte[] signature = mac
				.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
