package io.tokenbroker.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for workspace API keys. Lookups go through the unique index on the key's hash. */
@Repository
class ApiKeyStore {

	private static final String SELECT = """
			select id, app_id, name, key_prefix, scopes, created_by, created_at, last_used_at, revoked_at
			from api_key
			""";

	private final JdbcClient jdbc;

	ApiKeyStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(ApiKey key, String keyHash) {
		this.jdbc.sql("""
				insert into api_key (id, app_id, name, key_hash, key_prefix, scopes, created_by, created_at)
				values (?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(key.id(), key.appId(), key.name(), keyHash, key.keyPrefix(), String.join(" ", key.scopes()),
					key.createdBy(), ts(key.createdAt()))
			.update();
	}

	Optional<ApiKey> findActiveByHash(String keyHash) {
		return this.jdbc.sql(SELECT + " where key_hash = ? and revoked_at is null")
			.param(keyHash)
			.query(ApiKeyStore::map)
			.optional();
	}

	List<ApiKey> listByApp(String appId) {
		return this.jdbc.sql(SELECT + " where app_id = ? order by created_at, id")
			.param(appId)
			.query(ApiKeyStore::map)
			.list();
	}

	/** Records a use, at most once per {@code interval}: the hot path should not write on every request. */
	void touch(String id, Instant now, Instant notAfter) {
		this.jdbc.sql("update api_key set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
			.params(ts(now), id, ts(notAfter))
			.update();
	}

	boolean revoke(String appId, String id, Instant now) {
		return this.jdbc.sql("update api_key set revoked_at = coalesce(revoked_at, ?) where id = ? and app_id = ?")
			.params(ts(now), id, appId)
			.update() == 1;
	}

	private static ApiKey map(ResultSet rs, int n) throws SQLException {
		String scopes = rs.getString(5);
		return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
				scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(" ")), rs.getString(6), instant(rs, 7),
				instant(rs, 8), instant(rs, 9));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime ts(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
