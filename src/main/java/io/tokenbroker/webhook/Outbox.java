package io.tokenbroker.webhook;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox. A change appends its event inside its own transaction, so a committed change always has
 * its event and a rolled-back one never does. The event is fanned out at once to one delivery per endpoint of the app
 * that subscribed to its type; the delivery workers of every replica send them after commit.
 */
@Component
public class Outbox {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final DeliverySignal signal;

	private final Clock clock;

	private final boolean postgres;

	Outbox(JdbcClient jdbc, DataSource dataSource, DeliverySignal signal, Clock clock) {
		this.jdbc = jdbc;
		this.postgres = DeliveryStore.isPostgres(dataSource);
		this.signal = signal;
		this.clock = clock;
	}

	/**
	 * Appends the event to the outbox of the caller's transaction.
	 * @throws org.springframework.transaction.IllegalTransactionStateException when called outside a transaction
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void append(ConnectionChange change) {
		String eventId = insertEvent(change.appId(), change.type().wireName(), data(change));
		String key = orderingKey(change);
		lockKey(key);
		Timestamp now = now();
		// Due now, or when the endpoint's earlier delivery of the same key is retried if that is later: it cannot go
		// before that one anyway, and claims then do not step over it meanwhile.
		int deliveries = this.jdbc.sql("""
				insert into webhook_delivery (event_id, endpoint_id, app_id, ordering_key, status, attempts,
				                              next_attempt_at, created_at)
				select ?, p.id, p.app_id, ?, 'PENDING', 0,
				       coalesce((select max(w.next_attempt_at) from webhook_delivery w where w.endpoint_id = p.id
				                 and w.ordering_key = ? and w.status = 'PENDING' and w.next_attempt_at > ?), ?), ?
				from webhook_endpoint p
				where p.app_id = ? and p.enabled = true and (p.event_types = '*' or p.event_types like ?)
				""")
			.params(eventId, key, key, now, now, now, change.appId(), "%," + change.type().wireName() + ",%")
			.update();
		if (deliveries > 0) {
			wakeAfterCommit();
		}
	}

	/** A {@code webhook.test} event for one endpoint only, whatever it subscribed to. Returns the event id. */
	@Transactional
	String appendTest(String appId, String endpointId) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("app_id", appId);
		data.put("endpoint_id", endpointId);
		String eventId = insertEvent(appId, EventType.TEST, JSON.writeValueAsString(data));
		this.jdbc.sql("""
				insert into webhook_delivery (event_id, endpoint_id, app_id, status, attempts, next_attempt_at, created_at)
				values (?, ?, ?, 'PENDING', 0, ?, ?)
				""").params(eventId, endpointId, appId, now(), now()).update();
		wakeAfterCommit();
		return eventId;
	}

	/** What the event is ordered by: its connection, or its connector for connector events. */
	private static String orderingKey(ConnectionChange change) {
		return (change.connectionId() != null) ? change.connectionId() : change.connectorId();
	}

	/**
	 * Holds the key until this transaction ends, so two events of one key get their deliveries in the order their
	 * transactions commit (a connector's change reaches its row only when the transaction flushes, after this). On
	 * PostgreSQL only: a dev-mode broker on H2 is a single process, where the row locks of the changes suffice.
	 */
	private void lockKey(String key) {
		if (this.postgres) {
			this.jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param("webhook_order|" + key).query((rs) -> {
			});
		}
	}

	private String insertEvent(String appId, String type, String data) {
		String eventId = newEventId();
		this.jdbc.sql("insert into webhook_event (id, app_id, type, data, created_at) values (?, ?, ?, ?, ?)")
			.params(eventId, appId, type, data, now())
			.update();
		return eventId;
	}

	private static String data(ConnectionChange change) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("app_id", change.appId());
		data.put("integration_type", change.integrationType());
		data.put("connector_id", change.connectorId());
		if (change.connectionId() != null) {
			data.put("connection_id", change.connectionId());
			data.put("app_user_id", change.appUserId());
			data.put("status", change.status());
		}
		data.put("reason", change.reason());
		return JSON.writeValueAsString(data);
	}

	private void wakeAfterCommit() {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Outbox.this.signal.wake();
			}
		});
	}

	private Timestamp now() {
		return Timestamp.from(Instant.now(this.clock));
	}

	/** {@code msg_} and 128 random bits, base64url: the webhook-id of every attempt of the event. */
	private static String newEventId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
