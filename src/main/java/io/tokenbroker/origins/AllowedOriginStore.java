package io.tokenbroker.origins;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** SQL for the origins each app allows. */
@Repository
class AllowedOriginStore {

	private final JdbcClient jdbc;

	AllowedOriginStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<String> forApp(String appId) {
		return this.jdbc.sql("select origin from app_allowed_origin where app_id = ? order by origin")
			.param(appId)
			.query(String.class)
			.list();
	}

	/** The origins of the app that owns the connector (connector ids are unique across apps). */
	List<String> forConnector(String connectorId) {
		return this.jdbc.sql("""
				select o.origin from app_allowed_origin o join connector c on c.app_id = o.app_id where c.id = ?
				""").param(connectorId).query(String.class).list();
	}

	@Transactional
	void replace(String appId, List<String> origins, Instant now) {
		this.jdbc.sql("delete from app_allowed_origin where app_id = ?").param(appId).update();
		for (String origin : origins) {
			this.jdbc.sql("insert into app_allowed_origin (app_id, origin, created_at) values (?, ?, ?)")
				.params(appId, origin, now.atOffset(ZoneOffset.UTC))
				.update();
		}
	}

}
