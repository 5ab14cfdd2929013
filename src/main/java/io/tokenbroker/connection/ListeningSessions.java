package io.tokenbroker.connection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Opens PostgreSQL sessions of their own for {@link ConnectionChangeListener}, outside the pool but with the pool's
 * URL and credentials, so listening never holds a pooled connection nor leaves one listening.
 */
class ListeningSessions {

	private final DataSource dataSource;

	private final Duration heartbeat;

	ListeningSessions(DataSource dataSource, Duration heartbeat) {
		this.dataSource = dataSource;
		this.heartbeat = heartbeat;
	}

	/** Whether the pool is a PostgreSQL pool whose settings can be copied; otherwise nothing listens. */
	boolean available() {
		try {
			if (this.dataSource.isWrapperFor(HikariDataSource.class)) {
				HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
				String url = hikari.getJdbcUrl();
				return hikari.getDataSource() == null && url != null && url.startsWith("jdbc:postgresql:");
			}
		}
		catch (SQLException ex) {
			// Not a pool this listener can copy its settings from.
		}
		return false;
	}

	Connection open() throws SQLException {
		HikariDataSource hikari = (HikariDataSource) this.dataSource.unwrap(HikariDataSource.class);
		Properties settings = new Properties();
		settings.putAll(hikari.getDataSourceProperties());
		if (hikari.getUsername() != null) {
			settings.setProperty("user", hikari.getUsername());
		}
		if (hikari.getPassword() != null) {
			settings.setProperty("password", hikari.getPassword());
		}
		// The name tells the notification trigger (migration V15) that this listener understands grouped notifications.
		settings.setProperty("ApplicationName", "token-broker change listener, grouped");
		settings.setProperty("tcpKeepAlive", "true");
		// Bounds every read on the session, the heartbeat's included, so a silent network cannot block it forever.
		long timeoutSeconds = Math.max(5, this.heartbeat.multipliedBy(3).toSeconds());
		settings.setProperty("socketTimeout", Long.toString(timeoutSeconds));
		settings.setProperty("connectTimeout", "10");
		return DriverManager.getConnection(hikari.getJdbcUrl(), settings);
	}

}
