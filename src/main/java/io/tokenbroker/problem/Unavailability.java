package io.tokenbroker.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database outage (no connection, connection killed, server shutting down) from a bug, so that an outage is
 * answered with 503 and {@code Retry-After}, which clients retry, rather than 500.
 */
final class Unavailability {

	private Unavailability() {
	}

	static boolean isOutage(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
					|| t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException
					|| t instanceof SQLTransientException || t instanceof SQLRecoverableException
					|| t instanceof SQLNonTransientConnectionException) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null && isOutageState(sql.getSQLState())) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	/**
	 * SQLSTATE classes of a server that cannot serve: 08 connection exception, 53 insufficient resources, 57
	 * operator intervention (shutdown, terminated session), and PostgreSQL's 55000 for a database that does not accept
	 * connections.
	 */
	private static boolean isOutageState(String state) {
		return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.equals("55000");
	}

}
