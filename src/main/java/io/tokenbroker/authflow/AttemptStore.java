package io.tokenbroker.authflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.tokenbroker.authflow.AuthorizationAttempt.Outcome;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for authorization attempts. Consuming a state is one conditional update, so a state works exactly once. */
@Repository
class AttemptStore {

	private static final String SELECT = """
			select id, app_id, connector_id, app_user_id, scopes, code_verifier, return_url, outcome, error,
			       expires_at, consumed_at, started_by, browser_binding_hash, opened_at, app_user_label
			from oauth_state
			""";

	private final JdbcClient jdbc;

	AttemptStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(AuthorizationAttempt attempt, String stateHash, String ticketHash, Instant now) {
		this.jdbc.sql("""
				insert into oauth_state (id, state_hash, app_id, connector_id, app_user_id, scopes, code_verifier,
				                         return_url, outcome, expires_at, created_at, started_by, connect_ticket_hash,
				                         app_user_label)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(attempt.id(), stateHash, attempt.appId(), attempt.connectorId(), attempt.appUserId(),
					String.join("\n", attempt.scopes()), attempt.codeVerifierCipher(), attempt.returnUrl(),
					attempt.outcome().name(), ts(attempt.expiresAt()), ts(now), attempt.startedBy(), ticketHash,
					attempt.appUserLabel())
			.update();
	}

	Optional<AuthorizationAttempt> findByTicketHash(String ticketHash) {
		return this.jdbc.sql(SELECT + " where connect_ticket_hash = ?").param(ticketHash).query(AttemptStore::map)
			.optional();
	}

	/** Binds an unopened, unexpired connect link to the browser opening it; true only for the first opening. */
	boolean open(String id, String bindingHash, String confirmHash, Instant now) {
		return this.jdbc.sql("""
				update oauth_state set opened_at = ?, browser_binding_hash = ?, confirm_token_hash = ?
				where id = ? and opened_at is null and consumed_at is null and expires_at > ?
				""").params(ts(now), bindingHash, confirmHash, id, ts(now)).update() == 1;
	}

	/** A new confirmation token for the page shown again in the browser the link is bound to. */
	void renewConfirmation(String id, String confirmHash) {
		this.jdbc.sql("update oauth_state set confirm_token_hash = ? where id = ? and consumed_at is null")
			.params(confirmHash, id)
			.update();
	}

	/**
	 * Spends the page's confirmation token and gives the attempt the state and verifier that go to the provider; true
	 * only for the one request that did.
	 */
	boolean confirm(String id, String confirmHash, String stateHash, String verifierCipher, Instant now) {
		return this.jdbc.sql("""
				update oauth_state set confirm_token_hash = null, state_hash = ?, code_verifier = ?
				where id = ? and confirm_token_hash = ? and consumed_at is null and expires_at > ?
				""").params(stateHash, verifierCipher, id, confirmHash, ts(now)).update() == 1;
	}

	/** The person declined on the connect page: the attempt ends, its state unused and now unusable. */
	boolean decline(String id, String confirmHash, Instant now) {
		return this.jdbc.sql("""
				update oauth_state set confirm_token_hash = null, consumed_at = ?, outcome = 'FAILED',
				       error = 'access_denied', code_verifier = null
				where id = ? and confirm_token_hash = ? and consumed_at is null
				""").params(ts(now), id, confirmHash).update() == 1;
	}

	/** Marks the state used if it is unused and unexpired; true only for the one caller that did. */
	boolean consume(String stateHash, Instant now) {
		return this.jdbc.sql("""
				update oauth_state set consumed_at = ?
				where state_hash = ? and consumed_at is null and expires_at > ?
				""").params(ts(now), stateHash, ts(now)).update() == 1;
	}

	Optional<AuthorizationAttempt> findByStateHash(String stateHash) {
		return this.jdbc.sql(SELECT + " where state_hash = ?").param(stateHash).query(AttemptStore::map).optional();
	}

	Optional<AuthorizationAttempt> findById(String id) {
		return this.jdbc.sql(SELECT + " where id = ?").param(id).query(AttemptStore::map).optional();
	}

	void finish(String id, Outcome outcome, String error) {
		String truncated = (error != null && error.length() > 1000) ? error.substring(0, 1000) : error;
		this.jdbc.sql("update oauth_state set outcome = ?, error = ?, code_verifier = null where id = ?")
			.params(outcome.name(), truncated, id)
			.update();
	}

	/** Deletes attempts that expired more than {@code retention} ago. */
	int purgeExpiredBefore(Instant cutoff) {
		return this.jdbc.sql("delete from oauth_state where expires_at < ?").param(ts(cutoff)).update();
	}

	private static AuthorizationAttempt map(ResultSet rs, int n) throws SQLException {
		String scopes = rs.getString(5);
		return new AuthorizationAttempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
				(scopes == null || scopes.isEmpty()) ? List.of() : Arrays.asList(scopes.split("\n")),
				rs.getString(6), rs.getString(7), Outcome.valueOf(rs.getString(8)), rs.getString(9),
				rs.getObject(10, OffsetDateTime.class).toInstant(), instant(rs.getObject(11, OffsetDateTime.class)),
				rs.getString(12), rs.getString(13), instant(rs.getObject(14, OffsetDateTime.class)), rs.getString(15));
	}

	private static Instant instant(OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime ts(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
