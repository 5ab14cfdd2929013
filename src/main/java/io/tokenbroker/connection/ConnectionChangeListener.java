package io.tokenbroker.connection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps one PostgreSQL session listening for connection changes (announced by the triggers of migrations V6 and V15:
 * a row's id, or the ids of several rows one statement changed) and evicts what they name from this replica's
 * {@link ConnectionRowCache}. The session is its own, outside the pool ({@link ListeningSessions}). The cache is used
 * only while the session demonstrably receives notifications (it hears its own echo, on start and whenever it has been quiet for a heartbeat); when the
 * session fails, the cache empties and is bypassed until a new one listens. A broker on another database never
 * caches.
 */
@Component
class ConnectionChangeListener implements SmartLifecycle {

	static final String CHANNEL = "broker_connection_changed";

	static final String CONNECTOR_PREFIX = "connector:";

	/** Several rows changed by one statement (migration V15): the prefix, then their ids, comma-separated. */
	static final String IDS_PREFIX = "ids:";

	/** Heartbeats: every replica hears them, and only the sender cares. */
	private static final String PING_PREFIX = "ping:";

	private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(ConnectionChangeListener.class);

	private static final int POLL_MILLIS = 250;

	private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);

	private final ConnectionRowCache cache;

	private final ConnectionCacheProperties properties;

	private final ListeningSessions sessions;

	private volatile boolean running;

	private volatile Thread thread;

	ConnectionChangeListener(ConnectionRowCache cache, ConnectionCacheProperties properties, DataSource dataSource) {
		this.cache = cache;
		this.properties = properties;
		this.sessions = new ListeningSessions(dataSource, properties.heartbeat());
	}

	@Override
	public void start() {
		this.running = true;
		if (!this.properties.active() || !this.sessions.available()) {
			return;
		}
		Thread listener = new Thread(this::run, "connection-change-listener");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			try {
				listener.join(POLL_MILLIS * 4L);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.cache.listening(false);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		Duration retry = Duration.ofMillis(100);
		boolean failing = false;
		while (this.running) {
			try (Connection session = this.sessions.open()) {
				try (Statement statement = session.createStatement()) {
					statement.execute("listen " + CHANNEL);
				}
				PGConnection notifications = session.unwrap(PGConnection.class);
				echo(session, notifications);
				this.cache.listening(true);
				if (failing) {
					log.info("Listening for connection changes again; the connection cache is in use");
					failing = false;
				}
				retry = Duration.ofMillis(100);
				listen(session, notifications);
			}
			catch (SQLException | RuntimeException ex) {
				this.cache.listening(false);
				if (!failing && this.running) {
					log.warn("Not listening for connection changes ({}); reads bypass the connection cache until the "
							+ "session is back", ex.getClass().getSimpleName());
					failing = true;
				}
				sleep(retry);
				retry = (retry.compareTo(MAX_RETRY_DELAY) < 0) ? retry.multipliedBy(2) : MAX_RETRY_DELAY;
			}
		}
		this.cache.listening(false);
	}

	private void listen(Connection session, PGConnection notifications) throws SQLException {
		long heartbeatNanos = this.properties.heartbeat().toNanos();
		long quietSince = System.nanoTime();
		while (this.running) {
			PGNotification[] received = notifications.getNotifications(POLL_MILLIS);
			if (received != null && received.length > 0) {
				for (PGNotification notification : received) {
					handle(notification.getParameter());
				}
				quietSince = System.nanoTime();
			}
			else if (System.nanoTime() - quietSince > heartbeatNanos) {
				echo(session, notifications);
				quietSince = System.nanoTime();
			}
		}
	}

	/**
	 * Sends a notification on the channel and waits for it to come back: proof that this session still receives what
	 * is committed. A session can die without a word (a network partition), and a pooler in transaction mode accepts
	 * LISTEN but never delivers; either way no echo arrives, and the cache is not used.
	 */
	private void echo(Connection session, PGConnection notifications) throws SQLException {
		String ping = PING_PREFIX + UUID.randomUUID();
		try (PreparedStatement statement = session.prepareStatement("select pg_notify(?, ?)")) {
			statement.setString(1, CHANNEL);
			statement.setString(2, ping);
			statement.execute();
		}
		long deadline = System.nanoTime() + ECHO_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			PGNotification[] received = notifications.getNotifications(POLL_MILLIS);
			boolean echoed = false;
			for (PGNotification notification : (received != null) ? received : new PGNotification[0]) {
				echoed |= ping.equals(notification.getParameter());
				handle(notification.getParameter());
			}
			if (echoed) {
				return;
			}
		}
		throw new SQLException("The listening session did not receive its own notification within " + ECHO_TIMEOUT);
	}

	private void handle(String payload) {
		if (payload.startsWith(PING_PREFIX)) {
			return;
		}
		if (payload.startsWith(CONNECTOR_PREFIX)) {
			this.cache.evictConnector(payload.substring(CONNECTOR_PREFIX.length()));
		}
		else if (payload.startsWith(IDS_PREFIX)) {
			for (String id : payload.substring(IDS_PREFIX.length()).split(",")) {
				this.cache.evict(id);
			}
		}
		else {
			this.cache.evict(payload);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
