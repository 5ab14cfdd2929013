package io.tokenbroker.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL the tests run against: a Testcontainers container when Docker is available, otherwise the server
 * named by {@code BROKER_TEST_DATABASE_URL}, otherwise 127.0.0.1:5432. Never skipped: without a database the tests
 * fail. Each call to {@link #newDatabase(String)} creates a fresh database, so test contexts do not share data.
 */
public final class TestDatabase {

	private static Server server;

	private TestDatabase() {
	}

	public record Server(String baseUrl, String username, String password) {

		String url(String database) {
			return this.baseUrl + database;
		}

	}

	/** A new, empty database; returns its JDBC URL. */
	public static synchronized String newDatabase(String prefix) {
		Server s = server();
		String name = (prefix + "_" + Long.toHexString(System.nanoTime())).toLowerCase();
		try (Connection c = DriverManager.getConnection(s.url("postgres"), s.username(), s.password());
				Statement st = c.createStatement()) {
			st.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create test database " + name + " on " + s.baseUrl(), ex);
		}
		return s.url(name);
	}

	/** Runs {@code sql} in the database at {@code databaseUrl}, behind the back of any broker using it. */
	public static void execute(String databaseUrl, String sql) throws SQLException {
		try (Connection c = DriverManager.getConnection(databaseUrl, username(), password());
				Statement st = c.createStatement()) {
			st.execute(sql);
		}
	}

	public static String username() {
		return server().username();
	}

	public static String password() {
		return server().password();
	}

	private static synchronized Server server() {
		if (server == null) {
			server = start();
		}
		return server;
	}

	private static Server start() {
		String configured = System.getenv("BROKER_TEST_DATABASE_URL");
		if (configured == null && dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			String url = container.getJdbcUrl();
			return new Server(url.substring(0, url.lastIndexOf('/') + 1), container.getUsername(),
					container.getPassword());
		}
		// e.g. jdbc:postgresql://127.0.0.1:5432/ (trailing slash: databases are appended)
		String base = (configured != null) ? configured : "jdbc:postgresql://127.0.0.1:5432/";
		String user = System.getenv().getOrDefault("BROKER_TEST_DATABASE_USER", "postgres");
		String password = System.getenv().getOrDefault("BROKER_TEST_DATABASE_PASSWORD", "");
		Server s = new Server(base.endsWith("/") ? base : base + "/", user, password);
		try (Connection c = DriverManager.getConnection(s.url("postgres"), user, password);
				ResultSet rs = c.createStatement().executeQuery("select version()")) {
			rs.next();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("No PostgreSQL for the tests: start one on 127.0.0.1:5432 or set "
					+ "BROKER_TEST_DATABASE_URL (e.g. jdbc:postgresql://host:5432/)", ex);
		}
		return s;
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
