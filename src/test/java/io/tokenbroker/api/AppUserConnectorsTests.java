package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.MockIdp;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.PostgresBrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

/** Per-end-user connections through the public API, against the in-process authorization server. */
class AppUserConnectorsTests extends PostgresBrokerTestBase {

	@Test
	void twoUsersConnectDifferentAccountsAndEachGetsOnlyTheirOwnToken() {
		String app = "app-users-two";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		connectUser(app, connectorId, "user-b", "bob@provider.test", 3600);

		String tokenA = userConnection(app, connectorId, "user-a").json().get("accessToken").asString();
		String tokenB = userConnection(app, connectorId, "user-b").json().get("accessToken").asString();

		assertThat(tokenA).isNotEqualTo(tokenB);
		assertThat(providerSubject(tokenA)).isEqualTo("alice@provider.test");
		assertThat(providerSubject(tokenB)).isEqualTo("bob@provider.test");
	}

	@Test
	void userTokenIsServedWithConnectionConfigMember() {
		String app = "app-users-shape";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		BrokerClient.Response response = userConnection(app, connectorId, "user-a");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().has("connectionConfig")).isTrue();
		assertThat(response.json().get("integrationType").asString()).isEqualTo(MockIdp.TYPE);
	}

	@Test
	void anExpiringUserTokenIsRefreshedForThatUser() throws Exception {
		String app = "app-users-refresh";
		String connectorId = createConnector(app);
		// Expires within the read skew: the next read must refresh it first.
		connectUser(app, connectorId, "user-a", "alice@provider.test", 20);
		ageStoredTokens(app);
		MockIdp.server().enqueueCallback(callback("alice@provider.test", 3600));

		String token = userConnection(app, connectorId, "user-a").json().get("accessToken").asString();

		SignedJWT jwt = SignedJWT.parse(token);
		assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
			.isAfter(Instant.now().plus(Duration.ofMinutes(30)));
		assertThat(providerSubject(token)).isEqualTo("alice@provider.test");
	}

	@Test
	void aUserWhoHasNotConnectedGetsNotConnected() {
		String app = "app-users-none";
		String connectorId = createConnector(app);
		BrokerClient.Response response = userConnection(app, connectorId, "user-never");
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().get("code").asString()).isEqualTo("not_connected");
		assertThat(response.json().get("detail").asString()).contains("/app-user-connectors/" + connectorId);
	}

	@Test
	void aUserCannotDeleteAnotherUsersConnection() {
		String app = "app-users-isolation";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-b", "bob@provider.test", 3600);

		// User A names B everywhere a request could carry an id; only the token decides.
		BrokerClient.Response delete = client().send(client()
			.request("/app-user-connectors/" + connectorId + "/connection?appUserId=user-b&user=user-b",
					UserTokens.forUser(app, "user-a"))
			.header("On-Behalf-Of", "Bearer " + UserTokens.forUser(app, "user-b"))
			.DELETE()
			.build());
		assertThat(delete.status()).isEqualTo(204);

		assertThat(userConnection(app, connectorId, "user-b").status()).isEqualTo(200);
		assertThat(userConnection(app, connectorId, "user-a").status()).isEqualTo(409);
	}

	@Test
	void aUserCannotReachAnotherAppsConnector() {
		String connectorId = createConnector("app-users-owner");
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser("app-users-intruder", "user-a"), null);
		assertThat(connect.status()).isEqualTo(404);
		assertThat(connect.json().get("code").asString()).isEqualTo("connector_not_found");
		BrokerClient.Response delete = client().delete("/app-user-connectors/" + connectorId + "/connection",
				UserTokens.forUser("app-users-intruder", "user-a"));
		assertThat(delete.status()).isEqualTo(404);
	}

	@Test
	void anEndUserTokenOfAnotherAppIsRejectedOnBehalfOf() {
		String app = "app-users-obo";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		BrokerClient.Response response = withOnBehalfOf(app, connectorId,
				UserTokens.forUser("app-users-other", "user-a"));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
		assertThat(response.body()).doesNotContain("accessToken");
	}

	@Test
	void aForgedEndUserTokenIsRejected() {
		String app = "app-users-forged";
		String connectorId = createConnector(app);
		String forged = ServiceTokens.signExactly("an-attackers-own-secret-that-is-long-enough-0123",
				Map.of("app_id", app, "sub", "user-a"), Duration.ofMinutes(5));
		assertUnauthorizedProblem(client().post("/app-user-connectors/" + connectorId + "/connect", forged, null));
		assertUnauthorizedProblem(withOnBehalfOf(app, connectorId, forged));
	}

	@Test
	void anExpiredEndUserTokenIsRejected() {
		String app = "app-users-expired";
		String connectorId = createConnector(app);
		String expired = ServiceTokens.signExactly(UserTokens.SECRET, Map.of("app_id", app, "sub", "user-a"),
				Duration.ofMinutes(-10));
		assertUnauthorizedProblem(client().post("/app-user-connectors/" + connectorId + "/connect", expired, null));
		assertUnauthorizedProblem(
				client().delete("/app-user-connectors/" + connectorId + "/connection", expired));
		assertUnauthorizedProblem(withOnBehalfOf(app, connectorId, expired));
	}

	@Test
	void aServiceTokenIsNotAnEndUserTokenAndTheReverse() {
		String app = "app-users-kinds";
		String connectorId = createConnector(app);
		assertUnauthorizedProblem(client().post("/app-user-connectors/" + connectorId + "/connect",
				ServiceTokens.forApp(app), null));
		assertUnauthorizedProblem(client().get("/connectors", UserTokens.forUser(app, "user-a")));
		assertUnauthorizedProblem(withOnBehalfOf(app, connectorId, ServiceTokens.forApp(app)));
	}

	@Test
	void readingAUserTokenWithoutOnBehalfOfIsUnauthorized() {
		String app = "app-users-missing-obo";
		String connectorId = createConnector(app);
		BrokerClient.Response response = client().get("/app-user-connectors/" + connectorId + "/connection",
				ServiceTokens.forApp(app));
		assertUnauthorizedProblem(response);
		assertThat(response.json().get("detail").asString()).contains("On-Behalf-Of");
	}

	@Test
	void disconnectingRemovesTheConnectionAndRevokesItAtTheProvider() {
		String app = "app-users-disconnect";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		MockIdp.drainRequests();

		BrokerClient.Response delete = client().delete("/app-user-connectors/" + connectorId + "/connection",
				UserTokens.forUser(app, "user-a"));

		assertThat(delete.status()).isEqualTo(204);
		assertThat(MockIdp.revocationRequests()).hasSize(1);
		assertThat(userConnection(app, connectorId, "user-a").json().get("code").asString())
			.isEqualTo("not_connected");
		assertThat(client().delete("/app-user-connectors/" + connectorId + "/connection",
				UserTokens.forUser(app, "user-a")).status()).isEqualTo(204);
	}

	@Test
	void deletingTheConnectorRemovesAndRevokesEveryUsersConnection() {
		String app = "app-users-cascade";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		connectUser(app, connectorId, "user-b", "bob@provider.test", 3600);
		MockIdp.drainRequests();

		assertThat(client().delete("/connectors/mockidp?purge=true", ServiceTokens.forApp(app)).status())
			.isEqualTo(204);

		assertThat(MockIdp.revocationRequests()).hasSize(2);
		for (String user : List.of("user-a", "user-b")) {
			BrokerClient.Response response = userConnection(app, connectorId, user);
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.json().get("code").asString()).isEqualTo("connector_not_found");
		}
	}

	@Test
	void adminViewCountsUserConnectionsPerConnectorWithoutTokens() {
		String app = "app-users-admin";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		connectUser(app, connectorId, "user-b", "bob@provider.test", 3600);
		startOnly(app, connectorId, "user-c");

		BrokerClient.Response overview = client().get("/app-user-connectors", ServiceTokens.forApp(app));

		assertThat(overview.status()).as(overview.toString()).isEqualTo(200);
		JsonNode item = overview.json().get("connectors").get(0);
		assertThat(item.get("connectorId").asString()).isEqualTo(connectorId);
		assertThat(item.get("userConnections").asLong()).isEqualTo(3);
		assertThat(item.get("byStatus").get("active").asLong()).isEqualTo(2);
		assertThat(item.get("byStatus").get("pending").asLong()).isEqualTo(1);
	}

	@Test
	void adminViewListsUserConnectionsInPagesWithoutTokens() {
		String app = "app-users-pages";
		String connectorId = createConnector(app);
		connectUser(app, connectorId, "user-a", "alice@provider.test", 3600);
		startOnly(app, connectorId, "user-b");
		startOnly(app, connectorId, "user-c");
		String admin = ServiceTokens.forApp(app);

		BrokerClient.Response first = client().get("/app-user-connectors/" + connectorId + "/users?limit=2", admin);
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.json().get("users").size()).isEqualTo(2);
		assertThat(first.json().get("users").get(0).get("appUserId").asString()).isEqualTo("user-a");
		assertThat(first.json().get("users").get(0).get("status").asString()).isEqualTo("active");
		assertThat(first.body()).doesNotContain("accessToken").doesNotContain("refreshToken");
		String cursor = first.json().get("nextCursor").asString();

		BrokerClient.Response second = client()
			.get("/app-user-connectors/" + connectorId + "/users?limit=2&after=" + cursor, admin);
		assertThat(second.json().get("users").size()).isEqualTo(1);
		assertThat(second.json().get("users").get(0).get("appUserId").asString()).isEqualTo("user-c");
		assertThat(second.json().get("nextCursor").isNull()).isTrue();
	}

	@Test
	void adminViewNeedsTheAdminScope() {
		String app = "app-users-admin-scope";
		createConnector(app);
		BrokerClient.Response response = client().get("/app-user-connectors",
				ServiceTokens.forApp(app, ServiceTokens.READ));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("code").asString()).isEqualTo("forbidden");
	}

	private String createConnector(String app) {
		BrokerClient.Response put = client().put("/connectors/mockidp", ServiceTokens.forApp(app), "{}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return put.json().get("connectorId").asString();
	}

	private void connectUser(String app, String connectorId, String userId, String providerAccount,
			long expiresInSeconds) {
		MockIdp.server().enqueueCallback(callback(providerAccount, expiresInSeconds));
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, userId), null);
		assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
		BrokerClient.Response callback = OAuthDance.followAuthorization(client(),
				connect.json().get("redirectUrl").asString());
		assertThat(callback.body()).contains("Connected to Mock IdP");
	}

	private void startOnly(String app, String connectorId, String userId) {
		BrokerClient.Response connect = client().post("/app-user-connectors/" + connectorId + "/connect",
				UserTokens.forUser(app, userId), "{}");
		assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
	}

	private BrokerClient.Response userConnection(String app, String connectorId, String userId) {
		return withOnBehalfOf(app, connectorId, UserTokens.forUser(app, userId));
	}

	private BrokerClient.Response withOnBehalfOf(String app, String connectorId, String endUserToken) {
		return client().send(client()
			.request("/app-user-connectors/" + connectorId + "/connection", ServiceTokens.forApp(app))
			.header("On-Behalf-Of", "Bearer " + endUserToken)
			.GET()
			.build());
	}

	private static void assertUnauthorizedProblem(BrokerClient.Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("unauthorized");
	}

	private static DefaultOAuth2TokenCallback callback(String subject, long expiresInSeconds) {
		return new DefaultOAuth2TokenCallback(MockIdp.issuer(), subject, "JWT", List.of("broker-client"), Map.of(),
				expiresInSeconds);
	}

	/** Who the provider says the token belongs to (its userinfo endpoint validates the token). */
	private String providerSubject(String accessToken) {
		BrokerClient.Response userinfo = client().send(HttpRequest
			.newBuilder(URI.create(MockIdp.server().userInfoUrl(MockIdp.issuer()).toString()))
			.header("Authorization", "Bearer " + accessToken)
			.GET()
			.build());
		assertThat(userinfo.status()).as(userinfo.toString()).isEqualTo(200);
		return userinfo.json().get("sub").asString();
	}

}
