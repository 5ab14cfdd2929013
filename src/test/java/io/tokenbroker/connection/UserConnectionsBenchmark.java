package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;
import io.tokenbroker.support.UserTokens;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Per-end-user token reads at scale, against the app-connection hot path: {@code bench.users} end users × 3
 * connectors stored (with real encrypted tokens), then wrk drives both reads from another process. Not part of the
 * test suite (the name matches no Surefire include); run it with bench/user-connections.sh. Results go to
 * target/bench/user-connections.md.
 */
class UserConnectionsBenchmark {

	private static final int USERS = Integer.getInteger("bench.users", 100_000);

	private static final String DURATION = System.getProperty("bench.duration", "20s");

	private static final String APP = "bench-app";

	@Test
	void userTokenReadsStayOneIndexedLookup() throws Exception {
		String database = TestDatabase.newDatabase("bench");
		try (BrokerInstance broker = BrokerInstance.start(database,
				Map.of("broker.security.user-token.hmac-secret", UserTokens.SECRET))) {
			BrokerClient client = broker.client();
			String admin = ServiceTokens.forApp(APP);
			List<String> connectors = new ArrayList<>();
			connectors.add(create(client, admin, "mockidp", "{}"));
			connectors.add(create(client, admin, "mockidp-tenant", "{\"connectionConfig\":{\"tenant\":\"acme\"}}"));
			connectors.add(create(client, admin, "stripe", "{}"));
			JdbcTemplate jdbc = broker.context().getBean(JdbcTemplate.class);
			ConnectionSecrets secrets = broker.context().getBean(ConnectionSecrets.class);
			long seedStart = System.nanoTime();
			// PUT started an authorization: replace its pending app connection with an authorized one.
			jdbc.update("delete from connection where app_user_id = ''");
			seedRows(jdbc, secrets, connectors.get(0), List.of(ConnectionRows.NO_END_USER));
			for (String connector : connectors) {
				for (int from = 0; from < USERS; from += 1000) {
					List<String> users = new ArrayList<>();
					for (int i = from; i < Math.min(USERS, from + 1000); i++) {
						users.add("user-" + i);
					}
					seedRows(jdbc, secrets, connector, users);
				}
			}
			jdbc.execute("analyze connection");
			long seedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - seedStart);

			String userPlan = plan(jdbc, "select c.* from connection c join connector k on k.id = c.connector_id "
					+ "where c.connector_id = '" + connectors.get(0) + "' and c.app_user_id = 'user-" + (USERS / 2)
					+ "' and k.app_id = '" + APP + "' and k.disabled_at is null");
			String appPlan = plan(jdbc, "select c.* from connection c join connector k on k.id = c.connector_id "
					+ "where k.app_id = '" + APP + "' and k.integration_type = 'mockidp' and c.app_user_id = '' "
					+ "and k.disabled_at is null");
			assertThat(userPlan).contains("Index Scan using uq_connection_connector_user");
			assertThat(appPlan).contains("Index Scan using uq_connection_connector_user");

			String base = client.baseUrl();
			String userPath = "/app-user-connectors/" + connectors.get(0) + "/connection";
			assertThat(client.send(client.request(userPath, admin)
				.header("On-Behalf-Of", "Bearer " + UserTokens.forUser(APP, "user-1"))
				.GET()
				.build()).status()).isEqualTo(200);
			Path dir = Files.createDirectories(Path.of("target", "bench"));
			String appScript = lua(dir.resolve("app.lua"), admin, 0);
			String userScript = lua(dir.resolve("user.lua"), admin, 2000);
			// Warm-up: the JIT and the connection pool, on both paths.
			wrk(base, appScript, "/connectors/mockidp/connection", 16, "10s");
			wrk(base, userScript, userPath, 16, "10s");
			StringBuilder report = new StringBuilder();
			report.append("# Per-end-user token reads\n\n")
				.append("stored: ").append(USERS).append(" users x 3 connectors (+1 app connection), seeded in ")
				.append(seedSeconds).append(" s; wrk -t2 --latency -d").append(DURATION).append("\n\n")
				.append("| path | connections | requests/s | p50 | p99 | errors + non-2xx |\n|---|---|---|---|---|---|\n");
			for (int connections : new int[] { 16, 64 }) {
				report.append(row("app connection", connections,
						wrk(base, appScript, "/connectors/mockidp/connection", connections, DURATION)));
				report.append(row("user connection", connections, wrk(base, userScript, userPath, connections,
						DURATION)));
			}
			report.append("\n## Plans (PostgreSQL EXPLAIN ANALYZE)\n\nuser connection:\n```\n").append(userPlan)
				.append("```\napp connection:\n```\n").append(appPlan).append("```\n");
			Files.writeString(dir.resolve("user-connections.md"), report.toString());
			System.out.println(report);
		}
	}

	private static String create(BrokerClient client, String admin, String type, String body) {
		BrokerClient.Response put = client.put("/connectors/" + type, admin, body);
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return put.json().get("connectorId").asString();
	}

	private static void seedRows(JdbcTemplate jdbc, ConnectionSecrets secrets, String connectorId,
			List<String> users) {
		Timestamp now = Timestamp.from(Instant.now());
		Timestamp expires = Timestamp.from(Instant.now().plus(1, ChronoUnit.DAYS));
		List<Object[]> rows = new ArrayList<>();
		for (String user : users) {
			ConnectionKey key = new ConnectionKey(APP, connectorId, user);
			rows.add(new Object[] { "conn_" + connectorId.substring(4, 14) + "_" + user, connectorId, APP, user,
					secrets.encryptAccess(key, "at-" + user + "-" + ThreadLocalRandom.current().nextLong()),
					secrets.encryptRefresh(key, "rt-" + user), expires, now, now, now });
		}
		jdbc.batchUpdate("""
				insert into connection (id, connector_id, app_id, app_user_id, status, access_token, refresh_token,
				                        expires_at, granted_scopes, refresh_failures, version, authorized_at,
				                        created_at, updated_at)
				values (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, 'openid', 0, 1, ?, ?, ?)
				""", rows);
	}

	private static String plan(JdbcTemplate jdbc, String sql) {
		return String.join("\n", jdbc.queryForList("explain analyze " + sql, String.class)) + "\n";
	}

	/** A wrk script with the service token and, for user reads, a rotating set of end-user tokens. */
	private static String lua(Path file, String serviceToken, int userTokens) throws IOException {
		StringBuilder lua = new StringBuilder("wrk.headers[\"Authorization\"] = \"Bearer ").append(serviceToken)
			.append("\"\n");
		if (userTokens > 0) {
			lua.append("local users = {\n");
			for (int i = 0; i < userTokens; i++) {
				String user = "user-" + ThreadLocalRandom.current().nextInt(USERS);
				lua.append("  \"Bearer ").append(UserTokens.forUser(APP, user)).append("\",\n");
			}
			lua.append("}\nlocal n = 0\nrequest = function()\n  n = n + 1\n")
				.append("  wrk.headers[\"On-Behalf-Of\"] = users[(n % #users) + 1]\n")
				.append("  return wrk.format(\"GET\", nil, wrk.headers)\nend\n");
		}
		lua.append("done = function(summary, latency, requests)\n")
			.append("  io.write(string.format(\"RESULT %.1f %.3f %.3f %d\\n\", summary.requests / (summary.duration / 1e6),")
			.append(" latency:percentile(50) / 1000, latency:percentile(99) / 1000,")
			.append(" summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))\n")
			.append("end\n");
		Files.writeString(file, lua.toString(), StandardCharsets.UTF_8);
		return file.toAbsolutePath().toString();
	}

	private static String[] wrk(String base, String script, String path, int connections, String duration)
			throws IOException, InterruptedException {
		Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration, "--latency", "-s",
				script, base + path).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		for (String line : out.split("\n")) {
			if (line.startsWith("RESULT ")) {
				return line.substring(7).trim().split(" ");
			}
		}
		throw new IllegalStateException("wrk gave no result: " + out);
	}

	private static String row(String name, int connections, String[] r) {
		return "| " + name + " | " + connections + " | " + r[0] + " | " + r[1] + " ms | " + r[2] + " ms | " + r[3]
				+ " |\n";
	}

}
