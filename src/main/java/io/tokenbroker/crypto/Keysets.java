package io.tokenbroker.crypto;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

/** Creates and rotates Tink keysets (JSON) for {@code broker.crypto.keyset}. */
public final class Keysets {

	static {
		try {
			AeadConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot register Tink AEAD", ex);
		}
	}

	private Keysets() {
	}

	/** A new keyset holding one AES-256-GCM key. */
	public static String generateJson() {
		try {
			KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
			return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot generate a keyset", ex);
		}
	}

	/** The keyset with a new AES-256-GCM primary key added; the old keys stay to decrypt existing rows. */
	public static String rotateJson(String keysetJson) {
		try {
			KeysetHandle handle = parse(keysetJson);
			KeysetHandle rotated = KeysetHandle.newBuilder(handle)
				.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
					.withRandomId()
					.makePrimary())
				.build();
			return TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot rotate the keyset", ex);
		}
	}

	static KeysetHandle parse(String keysetJson) throws GeneralSecurityException {
		return TinkJsonProtoKeysetFormat.parseKeyset(keysetJson, InsecureSecretKeyAccess.get());
	}

}
