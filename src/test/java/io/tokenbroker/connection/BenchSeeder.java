package io.tokenbroker.connection;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import io.tokenbroker.bench.CeilingController;
import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.connector.Ids;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.support.ServiceTokens;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills an empty benchmark database with {@code count} apps, each with one active app-wide connection, the way the
 * broker would store them: the schema from the broker's own migrations, tokens encrypted by the broker's own
 * {@link ConnectionSecrets} (same keyset, same associated data). Rows go in through {@code COPY}, which is what makes
 * a million of them take seconds rather than an hour. Also writes a pool of service-role JWTs for randomly chosen apps,
 * one per line, for the load generator.
 *
 * <p>
 * Arguments: jdbc-url user password count keyset-file hmac-secret tokens-file pool-size.
 */
public final class BenchSeeder {

	private static final String TYPE = CeilingController.TYPE;

	private static final String SCOPES = String.join("\n", CeilingController.SCOPES);

	private static final Instant EXPIRES_AT = CeilingController.EXPIRES_AT;

	private BenchSeeder() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 8) {
			throw new IllegalArgumentException(
					"usage: BenchSeeder jdbc-url user password count keyset-file hmac-secret tokens-file pool-size");
		}
		String url = args[0];
		String user = args[1];
		String password = args[2];
		int count = Integer.parseInt(args[3]);
		TokenCipher cipher = TokenCipher.fromKeysetJson(Files.readString(Path.of(args[4])));
		String hmacSecret = args[5];
		Path tokensFile = Path.of(args[6]);
		int poolSize = Math.min(Integer.parseInt(args[7]), count);

		Flyway.configure()
			.dataSource(url, user, password)
			.locations("classpath:db/migration", "classpath:db/vendor/postgresql")
			.load()
			.migrate();
		long started = System.nanoTime();
		try (Connection connection = DriverManager.getConnection(url, user, password)) {
			seed(connection, count, new ConnectionSecrets(cipher));
		}
		System.out.printf("seeded %d connections in %d ms%n", count,
				Duration.ofNanos(System.nanoTime() - started).toMillis());
		writeTokens(tokensFile, count, poolSize, hmacSecret);
	}

	static String appId(int i) {
		return String.format("bench-app-%07d", i);
	}

	// Same lengths as Ids.newId ("con_" / "conn_" + 22 characters), so associated data and rows have realistic sizes.
	private static String connectorId(int i) {
		return String.format("con_bench%013d", i);
	}

	private static String connectionId(int i) {
		return String.format("conn_bench%013d", i);
	}

	private static void seed(Connection connection, int count, ConnectionSecrets secrets)
			throws SQLException, IOException {
		String now = Instant.now().toString();
		String refreshDue = EXPIRES_AT.minus(Duration.ofMinutes(5)).toString();
		try (Statement st = connection.createStatement()) {
			// Rows are consistent by construction; skipping the per-row foreign-key triggers makes COPY several times
			// faster. The constraints and indexes themselves stay.
			st.execute("set session_replication_role = replica");
		}
		copy(connection, "app (id, created_at)", count, (i) -> csv(appId(i), now));
		copy(connection, "connector (id, app_id, integration_type, scopes, connection_config, created_at, updated_at)",
				count, (i) -> csv(connectorId(i), appId(i), TYPE, SCOPES, null, now, now));
		copy(connection, """
				connection (id, connector_id, app_id, app_user_id, status, access_token, refresh_token, expires_at,
				            granted_scopes, authorized_at, refresh_due_at, refresh_failures, version, created_at,
				            updated_at)""", count, (i) -> {
			ConnectionKey key = new ConnectionKey(appId(i), connectorId(i), ConnectionRows.NO_END_USER);
			String access = secrets.encryptAccess(key, Ids.randomToken(CeilingController.TOKEN_LENGTH * 3 / 4));
			String refresh = secrets.encryptRefresh(key, Ids.randomToken(48));
			return csv(connectionId(i), connectorId(i), appId(i), "", "ACTIVE", access, refresh, EXPIRES_AT.toString(),
					SCOPES, now, refreshDue, "0", "1", now, now);
		});
		try (Statement st = connection.createStatement()) {
			st.execute("set session_replication_role = origin");
			st.execute("analyze");
		}
	}

	private static void copy(Connection connection, String table, int count, IntFunction<String> row)
			throws SQLException, IOException {
		CopyIn copy = connection.unwrap(PGConnection.class)
			.getCopyAPI()
			.copyIn("copy " + table + " from stdin with (format csv)");
		try (Writer out = new BufferedWriter(new OutputStreamWriter(new CopyOutputStream(copy), StandardCharsets.UTF_8),
				1 << 16)) {
			for (int i = 0; i < count; i++) {
				out.write(row.apply(i));
			}
		}
		long rows = copy.endCopy();
		System.out.printf("copied %d rows into %s%n", rows, table.substring(0, table.indexOf(' ')));
	}

	/** A CSV line; null is an unquoted empty field, an empty string a quoted one (COPY tells them apart). */
	private static String csv(String... values) {
		StringBuilder line = new StringBuilder(256);
		for (int i = 0; i < values.length; i++) {
			if (i > 0) {
				line.append(',');
			}
			if (values[i] != null) {
				line.append('"').append(values[i].replace("\"", "\"\"")).append('"');
			}
		}
		return line.append('\n').toString();
	}

	private static void writeTokens(Path file, int count, int poolSize, String secret) throws IOException {
		Random random = new Random(42);
		StringBuilder tokens = new StringBuilder();
		for (int i = 0; i < poolSize; i++) {
			String app = appId(random.nextInt(count));
			tokens.append(ServiceTokens.sign(secret, Map.of("app_id", app, "scope", ServiceTokens.READ),
					Duration.ofHours(12)))
				.append('\n');
		}
		Files.writeString(file, tokens);
	}

}
