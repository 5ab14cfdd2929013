package io.tokenbroker.connection;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Multi-row writes on PostgreSQL as one statement: {@code update ... from unnest(?::text[], ...) as g(...) ...
 * returning c.id}, one text array per column. One statement per group instead of a JDBC batch of one per row: one
 * parse, one plan, one round trip, and one statement-level change notification (migration V15) instead of one per
 * row. Values travel as text and are cast in the statement. The statements visit their rows in id order, as an index
 * scan of the lease renewals ({@link LeaseStore#renew}) does, so that two statements locking the same rows wait for
 * each other rather than deadlock; should PostgreSQL still break a deadlock, a group is written again row by row and a
 * renewal is retried at the next heartbeat.
 */
final class UnnestUpdates {

	private UnnestUpdates() {
	}

	/**
	 * Runs {@code sql}, whose first parameters are one text array per column (in the order of {@code columns}) and
	 * whose last ones are {@code trailing}; returns the ids it returned.
	 */
	static <T> Set<String> update(JdbcTemplate jdbc, String sql, List<T> rows, List<Function<T, Object>> columns,
			Object... trailing) {
		ConnectionCallback<Set<String>> statementOnConnection = (Connection connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				int index = 1;
				for (Function<T, Object> column : columns) {
					String[] values = rows.stream().map(column).map((v) -> (v != null) ? v.toString() : null)
						.toArray(String[]::new);
					statement.setArray(index++, connection.createArrayOf("text", values));
				}
				for (Object value : trailing) {
					statement.setObject(index++, value);
				}
				Set<String> ids = new HashSet<>();
				try (ResultSet result = statement.executeQuery()) {
					while (result.next()) {
						ids.add(result.getString(1));
					}
				}
				return ids;
			}
		};
		return jdbc.execute(statementOnConnection);
	}

	static boolean isPostgres(DataSource dataSource) {
		try {
			String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
			return "PostgreSQL".equalsIgnoreCase(product);
		}
		catch (MetaDataAccessException ex) {
			return false;
		}
	}

}
