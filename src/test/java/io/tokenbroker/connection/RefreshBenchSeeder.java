package io.tokenbroker.connection;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.Ids;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.context.ApplicationContext;

/**
 * Seeds the refresher benchmark: {@code count} active end-user connections of one connector, stored the way the
 * broker stores them (tokens encrypted by the broker's own {@link ConnectionSecrets}, bound to their row), with
 * refresh tokens the benchmark's stub endpoint knows. Rows go in through {@code COPY}: a million take about a minute
 * instead of the hours that one authorization each through the services would.
 */
public final class RefreshBenchSeeder {

	private RefreshBenchSeeder() {
	}

	/**
	 * Inserts connections for end users {@code user-0} … {@code user-(count-1)}, due tomorrow: each run makes the rows
	 * it measures due, so a warm-up on part of them leaves the rest for the measured runs.
	 */
	public static void seed(ApplicationContext context, Connector connector, int count,
			IntFunction<String> refreshToken) throws SQLException, IOException {
		ConnectionSecrets secrets = context.getBean(ConnectionSecrets.class);
		String now = Instant.now().toString();
		String expires = Instant.now().plusSeconds(3600).toString();
		String due = Instant.now().plusSeconds(86_400).toString();
		try (Connection connection = context.getBean(DataSource.class).getConnection()) {
			CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
					copy connection (id, connector_id, app_id, app_user_id, status, access_token, refresh_token,
					                 expires_at, granted_scopes, authorized_at, refresh_due_at, refresh_failures, version,
					                 created_at, updated_at) from stdin with (format csv)""");
			try (Writer out = new BufferedWriter(
					new OutputStreamWriter(new CopyOutputStream(copy), StandardCharsets.UTF_8), 1 << 16)) {
				for (int i = 0; i < count; i++) {
					String user = "user-" + i;
					ConnectionKey key = new ConnectionKey(connector.getAppId(), connector.getId(), user);
					String access = secrets.encryptAccess(key, "at-seed-" + i);
					String refresh = secrets.encryptRefresh(key, refreshToken.apply(i));
					out.write(String.join(",", Ids.newId("conn"), connector.getId(), connector.getAppId(), user,
							"ACTIVE", access, refresh, expires, "read", now, due, "0", "1", now, now));
					out.write('\n');
				}
			}
			copy.endCopy();
			connection.createStatement().execute("analyze connection");
		}
	}

}
