package io.tokenbroker.connector;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque, URL-safe identifiers ({@code [A-Za-z0-9_-]}) with a readable prefix. */
public final class Ids {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	/** {@code prefix_} followed by 128 random bits. */
	public static String newId(String prefix) {
		return prefix + "_" + randomToken(16);
	}

	/** {@code bytes} random bytes, base64url without padding. */
	public static String randomToken(int bytes) {
		byte[] buffer = new byte[bytes];
		RANDOM.nextBytes(buffer);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
	}

}
