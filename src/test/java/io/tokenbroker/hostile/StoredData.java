package io.tokenbroker.hostile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A checksum of everything the broker stores except the audit trail (which records refused requests by design): if a
 * request changed any row of apps, connectors, connections or authorization attempts, the checksum changes.
 */
final class StoredData {

	private static final List<String> TABLES = List.of("app", "connector", "connection", "oauth_state");

	private StoredData() {
	}

	static String checksum(JdbcTemplate jdbc) {
		MessageDigest digest = sha256();
		for (String table : TABLES) {
			jdbc.query("select * from " + table + " order by id", (rs) -> {
				int columns = rs.getMetaData().getColumnCount();
				StringBuilder row = new StringBuilder(table);
				for (int i = 1; i <= columns; i++) {
					row.append('\u0001').append(rs.getString(i));
				}
				digest.update(row.append('\n').toString().getBytes(StandardCharsets.UTF_8));
			});
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
