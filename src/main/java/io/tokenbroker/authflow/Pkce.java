package io.tokenbroker.authflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.tokenbroker.connector.Ids;

/** RFC 7636 with the S256 method only ({@code plain} gives no protection against a stolen code). */
final class Pkce {

	private Pkce() {
	}

	/** 256 random bits, base64url: 43 characters, within RFC 7636's 43–128. */
	static String newVerifier() {
		return Ids.randomToken(32);
	}

	static String challenge(String verifier) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
	}

	static String sha256Hex(String value) {
		StringBuilder hex = new StringBuilder();
		for (byte b : sha256(value)) {
			hex.append(String.format("%02x", b));
		}
		return hex.toString();
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
