package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.DueConnection;
import io.tokenbroker.connection.RefreshOutcome;
import io.tokenbroker.connection.ScheduledRefreshes;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.oauth.TokenResult;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Claims work in dev mode too: H2 has no SKIP LOCKED, so each lease is taken with a compare-and-set. */
class RefreshClaimsOnH2Tests extends H2BrokerTestBase {

	@Autowired
	private ScheduledRefreshes claims;

	@Autowired
	private ConnectorService connectors;

	@Autowired
	private ConnectionService connections;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void dueConnectionIsClaimedOnceAndRefreshedByTheScheduledPath() {
		String token = ServiceTokens.forApp("app-h2-due");
		OAuthDance.connect(client(), token, MockIdp.TYPE);
		String before = accessToken(token);
		// An hour-long token made due now, instead of waiting for it.
		this.jdbc.sql("update connection set refresh_due_at = ? where app_id = ?")
			.params(java.time.OffsetDateTime.now().minusSeconds(1), "app-h2-due")
			.update();
		String id = connectionId("app-h2-due");

		List<DueConnection> first = this.claims.claimDue(100, Set.of());
		List<DueConnection> second = this.claims.claimDue(100, Set.of());

		assertThat(first).contains(new DueConnection(id, MockIdp.TYPE));
		assertThat(second).extracting(DueConnection::id).doesNotContain(id);
		assertThat(this.claims.refreshScheduled(id).result()).isEqualTo(RefreshOutcome.Result.REFRESHED);
		assertThat(accessToken(token)).isNotEqualTo(before);
		assertThat(this.claims.claimDue(100, Set.of())).extracting(DueConnection::id).doesNotContain(id);
		assertThat(this.jdbc.sql("select lease_owner from connection where id = ?").param(id).query(String.class)
			.optional()).isEmpty();
	}

	@Test
	void providerSkippedByTheSchedulerIsNotClaimed() {
		OAuthDance.connect(client(), ServiceTokens.forApp("app-h2-skip"), MockIdp.TYPE);
		this.jdbc.sql("update connection set refresh_due_at = ? where app_id = ?")
			.params(java.time.OffsetDateTime.now().minusSeconds(1), "app-h2-skip")
			.update();
		String id = connectionId("app-h2-skip");

		assertThat(this.claims.claimDue(100, Set.of(MockIdp.TYPE))).extracting(DueConnection::id).doesNotContain(id);
		assertThat(this.claims.claimDue(100, Set.of())).extracting(DueConnection::id).contains(id);
		this.claims.releaseClaim(id, Instant.now().plusSeconds(3600));
		assertThat(this.claims.claimDue(100, Set.of())).extracting(DueConnection::id).doesNotContain(id);
	}

	@Test
	void tokenThatNeverExpiresIsNeverClaimedNorRefreshedOnRead() {
		Connector connector = this.connectors.save("app-h2-forever", MockIdp.TYPE, null, null);
		String id = this.connections.prepare(connector, "");
		this.connections.complete(id, new TokenResult("forever-access-token", "some-refresh-token", null, null, null,
				null, Map.of()), List.of("openid"), null);

		assertThat(this.jdbc.sql("select refresh_due_at from connection where id = ?").param(id)
			.query(java.time.OffsetDateTime.class)
			.optional()).isEmpty();
		assertThat(this.claims.claimDue(1000, Set.of())).extracting(DueConnection::id).doesNotContain(id);
		BrokerClient.Response read = client().get("/connectors/" + MockIdp.TYPE + "/connection",
				ServiceTokens.forApp("app-h2-forever"));
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("accessToken").asString()).isEqualTo("forever-access-token");
		assertThat(read.json().get("expiresAt").isNull()).isTrue();
	}

	private String accessToken(String token) {
		BrokerClient.Response read = client().get("/connectors/" + MockIdp.TYPE + "/connection", token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json().get("accessToken").asString();
	}

	private String connectionId(String appId) {
		return this.jdbc.sql("select id from connection where app_id = ?").param(appId).query(String.class).single();
	}

}
