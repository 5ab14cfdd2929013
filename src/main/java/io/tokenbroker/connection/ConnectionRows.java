package io.tokenbroker.connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.tokenbroker.connector.StringMapConverter;

import org.springframework.jdbc.core.RowMapper;

/** How a connection row and its connector's fields are read from SQL, shared by the stores of this package. */
final class ConnectionRows {

	static final String SELECT = """
			select c.id, c.connector_id, c.app_id, c.app_user_id, k.integration_type, c.status, c.status_reason,
			       c.access_token, c.refresh_token, c.expires_at, c.granted_scopes, c.account_id, c.account_email,
			       c.metadata, k.connection_config, k.scopes, c.authorized_at, c.last_refreshed_at,
			       c.refresh_failures, c.lease_owner, c.lease_until, c.version, c.refresh_due_at, c.updated_at,
			       c.refresh_sent_at
			from connection c join connector k on k.id = c.connector_id
			""";

	/** The {@code app_user_id} of an app-wide connection: the column is part of a unique key, so it is never null. */
	static final String NO_END_USER = "";

	static final StringMapConverter MAPS = new StringMapConverter();

	static final RowMapper<ConnectionRow> ROW = ConnectionRows::mapRow;

	private ConnectionRows() {
	}

	private static ConnectionRow mapRow(ResultSet rs, int rowNum) throws SQLException {
		return new ConnectionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				ConnectionStatus.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
				instant(rs, 10), splitScopes(rs.getString(11)), rs.getString(12), rs.getString(13),
				MAPS.convertToEntityAttribute(rs.getString(14)), MAPS.convertToEntityAttribute(rs.getString(15)),
				splitScopes(rs.getString(16)), instant(rs, 17), instant(rs, 18), rs.getInt(19), rs.getString(20),
				instant(rs, 21), rs.getLong(22), instant(rs, 23), instant(rs, 24), instant(rs, 25));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	static OffsetDateTime ts(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static List<String> splitScopes(String scopes) {
		return (scopes == null || scopes.isEmpty()) ? List.of() : Arrays.asList(scopes.split("\n"));
	}

	static String joinScopes(List<String> scopes) {
		return (scopes != null) ? String.join("\n", scopes) : null;
	}

}
