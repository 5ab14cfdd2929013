package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;

class TokenCipherTests {

	private final String keyset = Keysets.generateJson();

	private final TokenCipher cipher = TokenCipher.fromKeysetJson(this.keyset);

	@Test
	void decryptWhenSameAssociatedDataThenPlaintext() {
		String ciphertext = this.cipher.encrypt("ya29.secret", "row-1|access_token");
		assertThat(ciphertext).doesNotContain("ya29");
		assertThat(this.cipher.decrypt(ciphertext, "row-1|access_token")).isEqualTo("ya29.secret");
	}

	@Test
	void encryptWhenCalledTwiceThenDifferentCiphertexts() {
		assertThat(this.cipher.encrypt("same", "ad")).isNotEqualTo(this.cipher.encrypt("same", "ad"));
	}

	@Test
	void decryptWhenOtherRowThenFails() {
		String ciphertext = this.cipher.encrypt("ya29.secret", "row-1|access_token");
		assertThatThrownBy(() -> this.cipher.decrypt(ciphertext, "row-2|access_token"))
			.isInstanceOf(TokenCipher.DecryptionException.class)
			.hasMessageNotContaining("ya29");
	}

	@Test
	void decryptWhenTamperedThenFails() {
		byte[] bytes = Base64.getDecoder().decode(this.cipher.encrypt("ya29.secret", "ad"));
		bytes[bytes.length - 1] ^= 1;
		String tampered = Base64.getEncoder().encodeToString(bytes);
		assertThatThrownBy(() -> this.cipher.decrypt(tampered, "ad")).isInstanceOf(TokenCipher.DecryptionException.class);
	}

	@Test
	void decryptWhenNotBase64ThenFails() {
		assertThatThrownBy(() -> this.cipher.decrypt("%%%", "ad")).isInstanceOf(TokenCipher.DecryptionException.class);
	}

	@Test
	void rotatedKeysetDecryptsOldCiphertextsAndEncryptsUnderTheNewPrimary() {
		String old = this.cipher.encrypt("old-token", "ad");
		TokenCipher rotated = TokenCipher.fromKeysetJson(Keysets.rotateJson(this.keyset));
		assertThat(rotated.decrypt(old, "ad")).isEqualTo("old-token");
		assertThat(rotated.isUnderPrimaryKey(old)).isFalse();
		assertThat(rotated.isUnderPrimaryKey(rotated.encrypt("new-token", "ad"))).isTrue();
		assertThat(this.cipher.isUnderPrimaryKey(old)).isTrue();
	}

	@Test
	void keysetWithoutTheOldKeyCannotDecryptOldCiphertexts() throws Exception {
		String old = this.cipher.encrypt("old-token", "ad");
		KeysetHandle rotated = TinkJsonProtoKeysetFormat.parseKeyset(Keysets.rotateJson(this.keyset),
				InsecureSecretKeyAccess.get());
		KeysetHandle onlyNew = KeysetHandle.newBuilder(rotated).deleteAt(0).build();
		TokenCipher newOnly = TokenCipher
			.fromKeysetJson(TinkJsonProtoKeysetFormat.serializeKeyset(onlyNew, InsecureSecretKeyAccess.get()));
		assertThatThrownBy(() -> newOnly.decrypt(old, "ad")).isInstanceOf(TokenCipher.DecryptionException.class);
	}

	@Test
	void invalidKeysetIsRefusedWithoutEchoingIt() {
		assertThatThrownBy(() -> TokenCipher.fromKeysetJson("{\"not\":\"a keyset\"}"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageNotContaining("not");
	}

}
