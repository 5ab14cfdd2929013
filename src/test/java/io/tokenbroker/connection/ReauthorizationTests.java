package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.AuditEventsProbe;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ReplicasWithStrictServer;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TokenEndpointMonitor;
import io.tokenbroker.support.UserTokens;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Authorizing a connection again replaces its grant; the grant it replaced is revoked at the provider once the new
 * one is stored, best effort and audited, unless revoking it would end the new grant too. Through the public API,
 * against the strict authorization server, whose revocation endpoint invalidates a refresh token with its access
 * token.
 */
@RunsBesideSharedBrokers
class ReauthorizationTests {

	private static final String TYPE = "strictidp";

	/** The same server, catalogued like Google: revoking any token ends every grant of the account. */
	private static final String ACCOUNT_WIDE_TYPE = "strictidp-accountwide";

	private static final String GRANT_REVOKED = "connection.grant_revoked";

	@RegisterExtension
	static final ReplicasWithStrictServer deployment = ReplicasWithStrictServer.replicas(1)
		.provider(TYPE, StrictAuthorizationServer.CLIENT_ID)
		.provider(ACCOUNT_WIDE_TYPE, StrictAuthorizationServer.CLIENT_ID)
		.setting("broker.providers." + ACCOUNT_WIDE_TYPE + ".revocation-ends-every-grant", "true")
		.setting("broker.refresh.scheduler-enabled", "false")
		.setting("broker.security.user-token.hmac-secret", UserTokens.SECRET);

	@Test
	void reauthorizingRevokesTheReplacedGrantAndTheNewOneKeepsWorking() {
		String token = ServiceTokens.forApp("app-reauthorize");
		String first = connect(token, TYPE);
		String firstRefreshToken = server().refreshTokenOf(first);
		int revocationsBefore = monitor().revokedTokens().size();

		String second = reauthorize(token, TYPE);

		assertThat(revocationsSince(revocationsBefore)).as("tokens sent to the revocation endpoint")
			.containsExactly(firstRefreshToken);
		assertThat(server().isActive(first)).as("the replaced grant, at the provider").isFalse();
		assertThat(server().isActive(second)).as("the new grant, at the provider").isTrue();
		JsonNode audited = AuditEventsProbe.await(client(), token, "action=" + GRANT_REVOKED,
				AuditEventsProbe.action(GRANT_REVOKED));
		assertThat(audited.get("outcome").asString()).isEqualTo("success");
		assertThat(audited.get("integrationType").asString()).isEqualTo(TYPE);
		// The new grant refreshes with its own refresh token (the revoked one would be refused) once its token expires.
		expireStoredToken("app-reauthorize");
		String refreshed = awaitNewToken(token, TYPE, second);
		assertThat(refreshed).isNotEqualTo(second);
		assertThat(server().isActive(refreshed)).isTrue();
		assertThat(monitor().invalidGrants()).isZero();
	}

	@Test
	void reconnectingAnEndUserRevokesOnlyThatUsersReplacedGrant() {
		String app = "app-reauthorize-users";
		String token = ServiceTokens.forApp(app);
		BrokerClient.Response put = client().put("/connectors/" + TYPE, token, "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		String connectorId = put.json().get("connectorId").asString();
		String alice = connectUser(app, connectorId, "alice");
		String bob = connectUser(app, connectorId, "bob");
		String aliceRefreshToken = server().refreshTokenOf(alice);
		int revocationsBefore = monitor().revokedTokens().size();

		String aliceAgain = connectUser(app, connectorId, "alice");

		assertThat(revocationsSince(revocationsBefore)).containsExactly(aliceRefreshToken);
		assertThat(server().isActive(alice)).isFalse();
		assertThat(server().isActive(aliceAgain)).isTrue();
		assertThat(server().isActive(bob)).as("another end user's grant").isTrue();
		assertThat(readUser(app, connectorId, "alice")).isEqualTo(aliceAgain);
		assertThat(readUser(app, connectorId, "bob")).isEqualTo(bob);
		JsonNode audited = AuditEventsProbe.await(client(), token, "action=" + GRANT_REVOKED,
				AuditEventsProbe.action(GRANT_REVOKED));
		assertThat(audited.get("appUserId").asString()).isEqualTo("alice");
		assertThat(audited.get("outcome").asString()).isEqualTo("success");
	}

	@Test
	void aGrantWhoseRevocationWouldEndTheNewOneTooIsLeftAloneAndTheSkipIsAudited() {
		String token = ServiceTokens.forApp("app-reauthorize-account-wide");
		String first = connect(token, ACCOUNT_WIDE_TYPE);
		int revocationsBefore = monitor().revokedTokens().size();

		String second = reauthorize(token, ACCOUNT_WIDE_TYPE);

		assertThat(revocationsSince(revocationsBefore)).isEmpty();
		assertThat(server().isActive(first)).isTrue();
		assertThat(server().isActive(second)).isTrue();
		JsonNode audited = AuditEventsProbe.await(client(), token, "action=" + GRANT_REVOKED,
				AuditEventsProbe.action(GRANT_REVOKED));
		assertThat(audited.get("outcome").asString()).isEqualTo("failure");
		assertThat(audited.get("reason").asString()).isEqualTo("revocation_would_end_new_grant");
	}

	private static String connect(String token, String type) {
		BrokerClient.Response callback = OAuthDance.connect(client(), token, type);
		assertThat(callback.body()).as(callback.toString()).contains("Connected").doesNotContain("Not connected");
		return read(token, type);
	}

	/** A new authorization of the connected connector; returns the token it stored. */
	private static String reauthorize(String token, String type) {
		BrokerClient.Response started = client().post("/connectors/" + type + "/authorize", token, "{}");
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		BrokerClient.Response callback = OAuthDance.followAuthorization(client(),
				started.json().get("redirectUrl").asString());
		assertThat(callback.body()).as(callback.toString()).contains("Connected").doesNotContain("Not connected");
		return read(token, type);
	}

	/** Moves the app's stored token expiry into the past, as if it had expired: the next read refreshes it. */
	private static void expireStoredToken(String app) {
		deployment.replicas()
			.context(0)
			.getBean(JdbcClient.class)
			.sql("update connection set expires_at = current_timestamp - interval '1 minute', version = version + 1"
					+ " where app_id = ?")
			.param(app)
			.update();
	}

	private static String connectUser(String app, String connectorId, String userId) {
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, userId), null);
		assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
		BrokerClient.Response callback = OAuthDance.followAuthorization(client(),
				connect.json().get("redirectUrl").asString());
		assertThat(callback.body()).as(callback.toString()).contains("Connected").doesNotContain("Not connected");
		return readUser(app, connectorId, userId);
	}

	private static String read(String token, String type) {
		BrokerClient.Response read = client().get("/connectors/" + type + "/connection", token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json().get("accessToken").asString();
	}

	private static String readUser(String app, String connectorId, String userId) {
		BrokerClient.Response read = client().send(client()
			.request("/app-user-connectors/" + connectorId + "/connection", ServiceTokens.forApp(app))
			.header("On-Behalf-Of", "Bearer " + UserTokens.forUser(app, userId))
			.GET()
			.build());
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json().get("accessToken").asString();
	}

	/** Reads until the token served is no longer {@code old} (the row cache learns of the change within moments). */
	private static String awaitNewToken(String token, String type, String old) {
		Instant deadline = Instant.now().plusSeconds(20);
		String current = read(token, type);
		while (current.equals(old) && Instant.now().isBefore(deadline)) {
			sleep(250);
			current = read(token, type);
		}
		return current;
	}

	private static List<String> revocationsSince(int before) {
		List<String> all = monitor().revokedTokens();
		return all.subList(before, all.size());
	}

	private static BrokerClient client() {
		return deployment.replicas().client(0);
	}

	private static StrictAuthorizationServer server() {
		return deployment.server();
	}

	private static TokenEndpointMonitor monitor() {
		return server().tokenEndpoint();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
