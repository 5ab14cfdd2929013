package io.tokenbroker.support;

import io.tokenbroker.crypto.Keysets;

/** One encryption keyset per test JVM. */
public final class TestKeys {

	public static final String KEYSET = Keysets.generateJson();

	private TestKeys() {
	}

}
