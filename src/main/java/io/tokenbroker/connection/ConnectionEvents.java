package io.tokenbroker.connection;

import java.util.function.BooleanSupplier;

import io.tokenbroker.webhook.ConnectionChange;
import io.tokenbroker.webhook.EventType;
import io.tokenbroker.webhook.Outbox;
import io.tokenbroker.webhook.WebhookProperties;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Connection changes with their webhook events: each method runs the change (a write that says whether it applied)
 * and, if it applied, appends the event in the same transaction. Changes that send no event run as they are, so the
 * refresh path only pays for a transaction when an event is due.
 */
@Component
class ConnectionEvents {

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private final int refreshFailingAfter;

	ConnectionEvents(Outbox outbox, PlatformTransactionManager transactionManager, WebhookProperties properties) {
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactionManager);
		this.refreshFailingAfter = properties.refreshFailingAfter();
	}

	/** Runs {@code change}; when it applied, {@code type} is sent about {@code row} with its new status. */
	boolean emitIf(EventType type, ConnectionRow row, ConnectionStatus newStatus, String reason,
			BooleanSupplier change) {
		return Boolean.TRUE.equals(this.transaction.execute((tx) -> {
			boolean applied = change.getAsBoolean();
			if (applied) {
				this.outbox.append(new ConnectionChange(type, row.appId(), row.integrationType(), row.connectorId(),
						row.id(), row.appUserId().isEmpty() ? null : row.appUserId(), newStatus.wireName(), reason));
			}
			return applied;
		}));
	}

	/** A failed refresh; the one that reaches the threshold also sends {@code connection.refresh_failing}. */
	void refreshFailed(ConnectionRow row, String reason, Runnable change) {
		if (row.refreshFailures() + 1 != this.refreshFailingAfter) {
			change.run();
			return;
		}
		emitIf(EventType.CONNECTION_REFRESH_FAILING, row, row.status(), reason, () -> {
			change.run();
			return true;
		});
	}

	/** Whether a successful refresh of {@code row} sends an event ({@code connection.recovered}). */
	boolean sendsOnRefresh(ConnectionRow row) {
		return row.refreshFailures() >= this.refreshFailingAfter;
	}

	/** A successful refresh; after {@code connection.refresh_failing} it also sends {@code connection.recovered}. */
	boolean refreshed(ConnectionRow row, BooleanSupplier change) {
		if (!sendsOnRefresh(row)) {
			return change.getAsBoolean();
		}
		return emitIf(EventType.CONNECTION_RECOVERED, row, ConnectionStatus.ACTIVE, "refreshed", change);
	}

}
