package io.tokenbroker.connector;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The connector table in plain SQL. Connectors in use have no {@code disabled_at}; removed ones keep theirs until they
 * are purged. The connector is the broker's only stored type that an ORM ever mapped; JDBC keeps the object-relational
 * mapper (and its bootstrap, about a quarter of the start) out of the broker.
 */
@Component
class ConnectorStore {

	private static final String COLUMNS = "select id, app_id, integration_type, scopes, connection_config, created_at,"
			+ " updated_at, disabled_at, purge_after from connector ";

	private static final StringMapConverter MAPS = new StringMapConverter();

	private static final RowMapper<Connector> ROW = ConnectorStore::connector;

	private final JdbcClient jdbc;

	ConnectorStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Connector> findById(String id) {
		return this.jdbc.sql(COLUMNS + "where id = ?").param(id).query(ROW).optional();
	}

	/** In use or removed: the (app, type) slot is the same. */
	Optional<Connector> findByAppIdAndIntegrationType(String appId, String integrationType) {
		return this.jdbc.sql(COLUMNS + "where app_id = ? and integration_type = ?")
			.params(appId, integrationType)
			.query(ROW)
			.optional();
	}

	Optional<Connector> findByAppIdAndIntegrationTypeAndDisabledAtIsNull(String appId, String integrationType) {
		return findByAppIdAndIntegrationType(appId, integrationType).filter((c) -> !c.isDisabled());
	}

	Optional<Connector> findByAppIdAndIdAndDisabledAtIsNull(String appId, String id) {
		return this.jdbc.sql(COLUMNS + "where app_id = ? and id = ? and disabled_at is null")
			.params(appId, id)
			.query(ROW)
			.optional();
	}

	List<Connector> findByAppIdAndDisabledAtIsNullOrderByIntegrationType(String appId) {
		return this.jdbc.sql(COLUMNS + "where app_id = ? and disabled_at is null order by integration_type")
			.param(appId)
			.query(ROW)
			.list();
	}

	List<Connector> findByPurgeAfterLessThanEqualOrderByPurgeAfter(Instant now, int limit) {
		return this.jdbc.sql(COLUMNS + "where purge_after <= ? order by purge_after fetch first ? rows only")
			.params(ts(now), limit)
			.query(ROW)
			.list();
	}

	/** Takes a due purge for this replica by moving its deadline; false when another replica took it first. */
	int claimPurge(String id, Instant expected, Instant until) {
		return this.jdbc.sql("update connector set purge_after = ? where id = ? and purge_after = ?")
			.params(ts(until), id, ts(expected))
			.update();
	}

	/** @throws org.springframework.dao.DataIntegrityViolationException when the app already has one of its type */
	void insert(Connector c) {
		this.jdbc.sql("insert into connector (id, app_id, integration_type, scopes, connection_config, created_at,"
				+ " updated_at, disabled_at, purge_after) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(c.getId(), c.getAppId(), c.getIntegrationType(), String.join("\n", c.getScopes()),
					MAPS.convertToDatabaseColumn(c.getConnectionConfig()), ts(c.getCreatedAt()), ts(c.getUpdatedAt()),
					ts(c.getDisabledAt()), ts(c.getPurgeAfter()))
			.update();
	}

	/** Writes what a connector may change: its scopes, config, removal and update time. */
	void update(Connector c) {
		this.jdbc.sql("update connector set scopes = ?, connection_config = ?, updated_at = ?, disabled_at = ?,"
				+ " purge_after = ? where id = ?")
			.params(String.join("\n", c.getScopes()), MAPS.convertToDatabaseColumn(c.getConnectionConfig()),
					ts(c.getUpdatedAt()), ts(c.getDisabledAt()), ts(c.getPurgeAfter()), c.getId())
			.update();
	}

	void deleteById(String id) {
		this.jdbc.sql("delete from connector where id = ?").param(id).update();
	}

	private static Connector connector(ResultSet rs, int row) throws SQLException {
		String scopes = rs.getString("scopes");
		return new Connector(rs.getString("id"), rs.getString("app_id"), rs.getString("integration_type"),
				scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split("\n")),
				MAPS.convertToEntityAttribute(rs.getString("connection_config")), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "disabled_at"), instant(rs, "purge_after"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime ts(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
