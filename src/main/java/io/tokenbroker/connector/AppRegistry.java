package io.tokenbroker.connector;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Apps are the tenants. They are created on first use: the identity provider that issues service-role tokens is the
 * authority on which apps exist.
 */
@Component
class AppRegistry {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final TransactionTemplate newTransaction;

	AppRegistry(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	void ensureExists(String appId) {
		if (exists(appId)) {
			return;
		}
		try {
			// Its own transaction: a concurrent first request may win the insert, and on PostgreSQL a failed
			// statement would otherwise poison the caller's transaction.
			this.newTransaction.executeWithoutResult((status) -> this.jdbc
				.sql("insert into app (id, created_at) values (?, ?)")
				.param(appId)
				.param(Timestamp.from(Instant.now(this.clock)))
				.update());
		}
		catch (DuplicateKeyException ex) {
			// The other request created it: exactly what we wanted.
		}
	}

	/** Every app's id, in order, at most {@code limit}. */
	java.util.List<String> ids(int limit) {
		return this.jdbc.sql("select id from app order by id fetch first " + limit + " rows only")
			.query(String.class)
			.list();
	}

	private boolean exists(String appId) {
		return this.jdbc.sql("select count(*) from app where id = ?").param(appId).query(Integer.class).single() > 0;
	}

}
