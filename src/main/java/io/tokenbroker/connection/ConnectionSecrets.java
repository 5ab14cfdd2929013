package io.tokenbroker.connection;

import io.tokenbroker.crypto.TokenCipher;

import org.springframework.stereotype.Component;

/**
 * Encrypts and decrypts a connection's tokens. The associated data binds each ciphertext to its app, connector, end
 * user and column, so a ciphertext copied to another row, or from the refresh column to the access column, fails.
 */
@Component
class ConnectionSecrets {

	private final TokenCipher cipher;

	ConnectionSecrets(TokenCipher cipher) {
		this.cipher = cipher;
	}

	String encryptAccess(ConnectionKey key, String token) {
		return (token != null) ? this.cipher.encrypt(token, key.associatedData("access_token")) : null;
	}

	String encryptRefresh(ConnectionKey key, String token) {
		return (token != null) ? this.cipher.encrypt(token, key.associatedData("refresh_token")) : null;
	}

	String accessToken(ConnectionRow row) {
		return decrypt(row.accessTokenCipher(), ConnectionKey.of(row).associatedData("access_token"));
	}

	String refreshToken(ConnectionRow row) {
		return decrypt(row.refreshTokenCipher(), ConnectionKey.of(row).associatedData("refresh_token"));
	}

	boolean isUnderPrimaryKey(String ciphertext) {
		return ciphertext == null || this.cipher.isUnderPrimaryKey(ciphertext);
	}

	private String decrypt(String ciphertext, String associatedData) {
		return (ciphertext != null) ? this.cipher.decrypt(ciphertext, associatedData) : null;
	}

	/** What a ciphertext is bound to. */
	record ConnectionKey(String appId, String connectorId, String appUserId) {

		static ConnectionKey of(ConnectionRow row) {
			return new ConnectionKey(row.appId(), row.connectorId(), row.appUserId());
		}

		String associatedData(String column) {
			return "connection|" + this.appId + "|" + this.connectorId + "|" + this.appUserId + "|" + column;
		}

	}

}
