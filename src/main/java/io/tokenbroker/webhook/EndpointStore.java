package io.tokenbroker.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code webhook_endpoint} table. Event types are stored as {@code ,a,b,} (or {@code *}) for a LIKE match. */
@Component
class EndpointStore {

	private static final String COLUMNS = """
			id, app_id, url, description, event_types, enabled, consecutive_failures, failing_since,
			previous_secret_until, created_at, updated_at
			""";

	private final JdbcClient jdbc;

	EndpointStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The ciphertexts of an endpoint's secrets. */
	record Secrets(String current, String previous, Instant previousUntil) {
	}

	/** An endpoint's secrets with the names their associated data binds them to. */
	record StoredSecrets(String id, String appId, Secrets secrets) {
	}

	/** Every endpoint's secrets, a page at a time in id order (for re-encryption). */
	List<StoredSecrets> secretsPage(String afterId, int limit) {
		return this.jdbc.sql("""
				select id, app_id, secret, previous_secret, previous_secret_until from webhook_endpoint
				where id > ? order by id limit ?
				""")
			.params(afterId, limit)
			.query((rs, n) -> new StoredSecrets(rs.getString(1), rs.getString(2),
					new Secrets(rs.getString(3), rs.getString(4), instant(rs.getTimestamp(5)))))
			.list();
	}

	/** Writes re-encrypted secrets if the row still holds {@code expected}; a null previous secret ends its overlap. */
	boolean replaceSecrets(String id, Secrets expected, String current, String previous) {
		return this.jdbc.sql("""
				update webhook_endpoint set secret = ?, previous_secret = ?, previous_secret_until = ?
				where id = ? and secret = ? and previous_secret is not distinct from ?
				""").params(current, previous, (previous != null) ? ts(expected.previousUntil()) : null, id,
						expected.current(), expected.previous()).update() == 1;
	}

	void insert(String id, String appId, String url, String description, List<String> types, String secretCipher,
			Instant now) {
		this.jdbc.sql("""
				insert into webhook_endpoint (id, app_id, url, description, event_types, secret, enabled,
				                              consecutive_failures, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, true, 0, ?, ?)
				""").params(id, appId, url, description, joinTypes(types), secretCipher, ts(now), ts(now)).update();
	}

	List<Endpoint> list(String appId) {
		return this.jdbc.sql("select " + COLUMNS + " from webhook_endpoint where app_id = ? order by created_at, id")
			.param(appId)
			.query((rs, n) -> map(rs))
			.list();
	}

	int count(String appId) {
		return this.jdbc.sql("select count(*) from webhook_endpoint where app_id = ?")
			.param(appId)
			.query(Integer.class)
			.single();
	}

	Optional<Endpoint> find(String appId, String id) {
		return this.jdbc.sql("select " + COLUMNS + " from webhook_endpoint where app_id = ? and id = ?")
			.params(appId, id)
			.query((rs, n) -> map(rs))
			.optional();
	}

	void update(String appId, String id, String url, String description, List<String> types, boolean enabled,
			Instant now) {
		this.jdbc.sql("""
				update webhook_endpoint set url = ?, description = ?, event_types = ?, enabled = ?, updated_at = ?
				where app_id = ? and id = ?
				""").params(url, description, joinTypes(types), enabled, ts(now), appId, id).update();
	}

	boolean delete(String appId, String id) {
		return this.jdbc.sql("delete from webhook_endpoint where app_id = ? and id = ?").params(appId, id).update() == 1;
	}

	Secrets secrets(String appId, String id) {
		return this.jdbc.sql("select secret, previous_secret, previous_secret_until from webhook_endpoint "
				+ "where app_id = ? and id = ?")
			.params(appId, id)
			.query((rs, n) -> new Secrets(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3))))
			.single();
	}

	void rotate(String appId, String id, String newCipher, String previousCipher, Instant previousUntil,
			Instant now) {
		this.jdbc.sql("""
				update webhook_endpoint set secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ?
				where app_id = ? and id = ?
				""").params(newCipher, previousCipher, ts(previousUntil), ts(now), appId, id).update();
	}

	/** An attempt failed: counts it; returns true when this one made the endpoint failing. */
	boolean recordFailure(String id, int failingAfter, Instant now) {
		this.jdbc.sql("update webhook_endpoint set consecutive_failures = consecutive_failures + 1 where id = ?")
			.param(id)
			.update();
		return this.jdbc.sql("""
				update webhook_endpoint set failing_since = ?
				where id = ? and failing_since is null and consecutive_failures >= ?
				""").params(ts(now), id, failingAfter).update() == 1;
	}

	/** An attempt succeeded: the endpoint is healthy again (written only when it was not). */
	boolean recordSuccess(String id) {
		return this.jdbc.sql("""
				update webhook_endpoint set consecutive_failures = 0, failing_since = null
				where id = ? and (consecutive_failures <> 0 or failing_since is not null)
				""").param(id).update() == 1;
	}

	private static Endpoint map(ResultSet rs) throws SQLException {
		Instant failingSince = instant(rs.getTimestamp("failing_since"));
		boolean enabled = rs.getBoolean("enabled");
		String status = !enabled ? "disabled" : (failingSince != null) ? "failing" : "enabled";
		Instant previousUntil = instant(rs.getTimestamp("previous_secret_until"));
		return new Endpoint(rs.getString("id"), rs.getString("app_id"), rs.getString("url"),
				rs.getString("description"), splitTypes(rs.getString("event_types")), enabled, status,
				rs.getInt("consecutive_failures"), failingSince,
				(previousUntil != null && previousUntil.isAfter(Instant.now())) ? previousUntil : null,
				instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")));
	}

	static String joinTypes(List<String> types) {
		return types.isEmpty() ? "*" : "," + String.join(",", types) + ",";
	}

	static List<String> splitTypes(String stored) {
		return "*".equals(stored) ? List.of()
				: Arrays.stream(stored.split(",")).filter((type) -> !type.isEmpty()).toList();
	}

	static Timestamp ts(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
