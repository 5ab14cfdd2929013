package io.tokenbroker.connection;

import static io.tokenbroker.connection.ConnectionRows.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.TestDatabase;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The refresher's grouped writes on PostgreSQL: refresh-sent marks and refreshed pairs submitted at the same moment
 * are written a group per statement, each row still fenced on its own version and lease; and a statement that changes
 * many rows notifies every listening replica of each of them, in grouped notifications, or row by row while a
 * listener of an earlier version is connected.
 */
class GroupedRefreshWritesTests extends PostgresBrokerTestBase {

	private static final String CHANNEL = "broker_connection_changed";

	@Autowired
	private JdbcClient db;

	@Autowired
	private RefreshSentMarks marks;

	@Autowired
	private RefreshWriter writer;

	@Value("${spring.datasource.url}")
	private String url;

	private final Instant now = Instant.now();

	private final List<Connection> sessions = new ArrayList<>();

	@BeforeEach
	void connector() {
		this.db.sql("delete from connection").update();
		this.db.sql("delete from connector").update();
		this.db.sql("delete from app").update();
		this.db.sql("insert into app (id, created_at) values ('app-grouped', ?)").param(ts(this.now)).update();
		this.db.sql("""
				insert into connector (id, app_id, integration_type, scopes, created_at, updated_at)
				values ('con-grouped', 'app-grouped', 'strictidp', 'read', ?, ?)""")
			.params(ts(this.now), ts(this.now))
			.update();
	}

	@AfterEach
	void closeSessions() throws SQLException {
		for (Connection session : this.sessions) {
			session.close();
		}
	}

	@Test
	void marksSubmittedTogetherAreEachFencedOnVersionAndLease() throws Exception {
		int count = 40;
		insertLeased(count, "me");
		// Row 0 was read at a version no longer current, row 1's lease is someone else's, row 2's ran out.
		this.db.sql("update connection set lease_owner = 'other' where id = 'conn-1'").update();
		this.db.sql("update connection set lease_until = current_timestamp - interval '1 second' where id = 'conn-2'")
			.update();

		List<Boolean> marked = together(count,
				(i) -> () -> this.marks.mark("conn-" + i, "me", (i == 0) ? 0 : 1, this.now));

		for (int i = 0; i < count; i++) {
			Map<String, Object> row = row("conn-" + i);
			assertThat(marked.get(i)).as("conn-" + i).isEqualTo(i >= 3);
			assertThat(row.get("refresh_sent_at") != null).as("conn-" + i).isEqualTo(i >= 3);
		}
	}

	@Test
	void twoPairsForOneRowSubmittedTogetherStoreExactlyOne() throws Exception {
		int rows = 20;
		insertLeased(rows, "me");

		List<Boolean> saved = together(2 * rows, (i) -> () -> this.writer.save(new RefreshedPair("conn-" + (i % rows),
				1, "access-" + i, "refresh-" + i, this.now.plusSeconds(3600), null, this.now.plusSeconds(3000),
				this.now)));

		for (int r = 0; r < rows; r++) {
			boolean first = saved.get(r);
			assertThat(first).as("conn-" + r + " stored exactly once").isNotEqualTo(saved.get(r + rows));
			Map<String, Object> row = row("conn-" + r);
			assertThat(row.get("refresh_token")).isEqualTo("refresh-" + (first ? r : r + rows));
			assertThat(((Number) row.get("version")).longValue()).isEqualTo(2);
		}
	}

	@Test
	void aStatementChangingManyRowsNamesEachInGroupedNotificationsThatFitPostgresLimit() throws Exception {
		int count = 800;
		insertLeased(count, "me");
		PGConnection listener = listen("a listener, grouped");

		this.db.sql("update connection set refresh_sent_at = current_timestamp").update();

		List<String> payloads = receive(listener, (received) -> idsIn(received).size() >= count);
		assertThat(payloads).hasSizeGreaterThan(1)
			.allSatisfy((payload) -> assertThat(payload).startsWith("ids:").hasSizeLessThan(8000));
		assertThat(idsIn(payloads)).hasSize(count);
	}

	@Test
	void whileAListenerOfAnEarlierVersionIsConnectedEachRowIsNamedAlone() throws Exception {
		insertLeased(3, "me");
		PGConnection earlier = listen("token-broker change listener");

		this.db.sql("update connection set refresh_sent_at = current_timestamp").update();

		assertThat(receive(earlier, (received) -> received.size() >= 3)).containsExactlyInAnyOrder("conn-0", "conn-1",
				"conn-2");
	}

	@Test
	void leaseBookkeepingNotifiesNobody() throws Exception {
		insertLeased(10, "me");
		PGConnection listener = listen("a listener, grouped");

		this.db.sql("update connection set lease_owner = 'other', lease_until = current_timestamp").update();
		this.db.sql("update connection set refresh_sent_at = current_timestamp where id = 'conn-7'").update();

		// Notifications arrive in commit order: the first one is the change after the lease bookkeeping.
		assertThat(receive(listener, (received) -> !received.isEmpty())).containsExactly("conn-7");
	}

	private void insertLeased(int count, String owner) {
		this.db.sql("""
				insert into connection (id, connector_id, app_id, app_user_id, status, access_token, refresh_token,
				                        refresh_due_at, lease_owner, lease_until, version, created_at, updated_at)
				select 'conn-' || n, 'con-grouped', 'app-grouped', 'user-' || n, 'ACTIVE', 'old', 'old', ?, ?,
				       current_timestamp + interval '60 seconds', 1, ?, ?
				from generate_series(0, ? - 1) as n""")
			.params(ts(this.now.plusSeconds(600)), owner, ts(this.now), ts(this.now), count)
			.update();
	}

	private Map<String, Object> row(String id) {
		return this.db.sql("select * from connection where id = ?").param(id).query().singleRow();
	}

	/** Runs {@code count} calls released at the same moment; returns their results in order. */
	private static <T> List<T> together(int count, IntFunction<Callable<T>> call)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Callable<T> each = call.apply(i);
				futures.add(pool.submit(() -> {
					start.await();
					return each.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			pool.shutdown();
		}
	}

	private PGConnection listen(String applicationName) throws SQLException {
		Properties settings = new Properties();
		settings.setProperty("user", TestDatabase.username());
		settings.setProperty("password", TestDatabase.password());
		settings.setProperty("ApplicationName", applicationName);
		Connection session = DriverManager.getConnection(this.url, settings);
		this.sessions.add(session);
		try (Statement statement = session.createStatement()) {
			statement.execute("listen " + CHANNEL);
		}
		return session.unwrap(PGConnection.class);
	}

	/** Collects the channel's payloads (heartbeats aside) until {@code enough} says so, for at most 10 s. */
	private static List<String> receive(PGConnection session, Predicate<List<String>> enough)
			throws SQLException {
		List<String> payloads = new ArrayList<>();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (!enough.test(payloads) && Instant.now().isBefore(deadline)) {
			PGNotification[] received = session.getNotifications(200);
			for (PGNotification notification : (received != null) ? received : new PGNotification[0]) {
				if (!notification.getParameter().startsWith("ping:")) {
					payloads.add(notification.getParameter());
				}
			}
		}
		return payloads;
	}

	private static Set<String> idsIn(List<String> payloads) {
		Set<String> ids = new HashSet<>();
		for (String payload : payloads) {
			ids.addAll(List.of(payload.substring("ids:".length()).split(",")));
		}
		return ids;
	}

}
