package io.tokenbroker.drills;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the replica-kill drill reads from the brokers' database: connections by status, refreshes left in flight. */
final class DrillDatabase {

	private final String url;

	private final String user;

	DrillDatabase(String url, String user) {
		this.url = url;
		this.user = user;
	}

	/** Apps whose connection is marked as having its refresh token sent at or before {@code at}. */
	Set<String> inFlightSince(Instant at) throws SQLException {
		return apps("select app_id from connection where refresh_sent_at <= ?", Timestamp.from(at));
	}

	/** Connections marked in flight for longer than {@code seconds}: refreshes no live replica is doing. */
	long stranded(int seconds) throws SQLException {
		return apps("select app_id from connection where refresh_sent_at < now() - make_interval(secs => ?)",
				seconds).size();
	}

	Set<String> appsWithStatus(String status) throws SQLException {
		return apps("select app_id from connection where status = ?", status);
	}

	Map<String, Long> statuses() throws SQLException {
		return counts("select status, count(*) from connection group by status");
	}

	Map<String, Long> interruptedRefreshes() throws SQLException {
		return counts("select outcome, count(*) from audit_event where action = 'connection.refresh_interrupted'"
				+ " group by outcome");
	}

	private Set<String> apps(String sql, Object param) throws SQLException {
		try (Connection c = connect(); PreparedStatement query = c.prepareStatement(sql)) {
			query.setObject(1, param);
			Set<String> apps = new LinkedHashSet<>();
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					apps.add(rs.getString(1));
				}
			}
			return apps;
		}
	}

	private Map<String, Long> counts(String sql) throws SQLException {
		try (Connection c = connect(); PreparedStatement query = c.prepareStatement(sql);
				ResultSet rs = query.executeQuery()) {
			Map<String, Long> counts = new TreeMap<>();
			while (rs.next()) {
				counts.put(rs.getString(1), rs.getLong(2));
			}
			return counts;
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.user, "");
	}

}
