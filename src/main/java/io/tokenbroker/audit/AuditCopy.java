package io.tokenbroker.audit;

import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.util.List;

import org.postgresql.PGConnection;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Writes a batch of audit records with PostgreSQL's {@code COPY}: one statement whatever the batch size, and far less
 * work per row for the database than inserts, which matters because every token read adds a record. The rows travel
 * in COPY's text format, each value escaped, so no value can end a field or a row early.
 */
final class AuditCopy {

	private static final String COPY = """
			copy audit_event (occurred_at, app_id, actor, action, integration_type, connector_id, app_user_id,
			                  outcome, reason, request_id, client_address) from stdin
			""";

	private AuditCopy() {
	}

	/** Copies the records in; answers false, writing nothing, when the connection is not PostgreSQL's. */
	static ConnectionCallback<Boolean> insert(List<AuditEvent> events) {
		return (connection) -> {
			if (!connection.isWrapperFor(PGConnection.class)) {
				return false;
			}
			try {
				connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(rows(events)));
				return true;
			}
			catch (IOException ex) {
				throw new DataAccessResourceFailureException("COPY of audit records failed", ex);
			}
		};
	}

	static String rows(List<AuditEvent> events) {
		StringBuilder out = new StringBuilder(events.size() * 160);
		for (AuditEvent e : events) {
			out.append(e.time()).append('\t');
			field(out, e.appId()).append('\t');
			field(out, e.actor()).append('\t');
			field(out, e.action()).append('\t');
			field(out, e.integrationType()).append('\t');
			field(out, e.connectorId()).append('\t');
			field(out, e.appUserId()).append('\t');
			field(out, e.outcome().name()).append('\t');
			field(out, e.reason()).append('\t');
			field(out, e.requestId()).append('\t');
			field(out, e.clientAddress()).append('\n');
		}
		return out.toString();
	}

	/** A value in COPY's text format: {@code \N} for null; backslash and the separators escaped. */
	private static StringBuilder field(StringBuilder out, String value) {
		if (value == null) {
			return out.append("\\N");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(c);
			}
		}
		return out;
	}

}
