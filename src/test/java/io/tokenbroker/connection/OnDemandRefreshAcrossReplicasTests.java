package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.AsyncReads;
import io.tokenbroker.support.AsyncReads.Read;
import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ReplicasWithStrictServer;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.TokenEndpointMonitor;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Refresh on read with two replicas on one database, against a strict authorization server that rotates refresh
 * tokens and refuses any reuse. The background refresher is off here: every refresh is caused by a read, including
 * the takeover of a refresh abandoned by a replica that died mid-call.
 */
@RunsBesideSharedBrokers
class OnDemandRefreshAcrossReplicasTests {

	private static final String TYPE = "strictidp";

	/**
	 * Tokens are issued for 9 s and refreshed on read within 3 s of expiry (the 5 s skew, capped at a third of a
	 * token's lifetime): due 6 s after they are issued, which leaves connecting and the first read 6 s.
	 */
	private static final Duration SHORT = Duration.ofSeconds(9);

	/** Issued for 12 s: due 8 s after issue, and still valid 4 s after that, for a test that serves it meanwhile. */
	private static final Duration SHORT_STILL_VALID_AFTER_DUE = Duration.ofSeconds(12);

	private static final Duration SKEW = Duration.ofSeconds(5);

	@RegisterExtension
	static final ReplicasWithStrictServer deployment = ReplicasWithStrictServer.replicas(2)
		.provider(TYPE, StrictAuthorizationServer.CLIENT_ID)
		.setting("broker.refresh.scheduler-enabled", "false")
		.setting("broker.refresh.skew", SKEW.toSeconds() + "s")
		.setting("broker.refresh.lease", "3s")
		.setting("broker.refresh.wait-for-other-replica", "30s")
		.setting("broker.refresh.backoff", "2s")
		.setting("broker.refresh.max-backoff", "10s")
		// A refresh whose answer times out is lost for good with a rotating provider (the provider has already moved
		// on); on a busy test machine the strict server can be slow, so give it time.
		.setting("broker.oauth.read-timeout", "60s");

	/** Refresh tokens a test had used twice on purpose (a dead replica's, and the takeover's). */
	private static final Set<String> reusedOnPurpose = ConcurrentHashMap.newKeySet();

	@AfterEach
	void restoreServer() {
		monitor().down(false);
		monitor().refreshDelay(Duration.ZERO);
		deployment.server().accessTokenLifetime(Duration.ofMinutes(5));
	}

	@Test
	void burstOf500ReadsAcrossReplicasMakesExactlyOneTokenRequestAndAllGetTheNewToken() {
		String token = ServiceTokens.forApp("app-burst");
		connectWithTokenExpiringSoon(token);
		int requestsBefore = monitor().refreshRequests();
		int invalidBefore = monitor().invalidGrants();

		List<Read> reads = AsyncReads.readAll(both(), TYPE, token, 500, Duration.ofSeconds(60));

		assertThat(reads).allSatisfy((read) -> assertThat(read.status()).as(read.body()).isEqualTo(200));
		assertThat(reads.stream().map(Read::accessToken).distinct()).hasSize(1);
		assertRefreshed(reads.get(0));
		assertThat(monitor().refreshRequests() - requestsBefore).isEqualTo(1);
		assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
		assertEachRefreshTokenUsedOnce();
	}

	@Test
	void providerSlowerThanTheLeaseStillCausesOnlyOneRefresh() {
		String token = ServiceTokens.forApp("app-slow");
		connectWithTokenExpiringSoon(token);
		int requestsBefore = monitor().refreshRequests();
		int invalidBefore = monitor().invalidGrants();
		// The answer takes 9 s, three times the 3 s lease: the other replica must still stay out.
		monitor().refreshDelay(Duration.ofSeconds(9));

		List<Read> reads = AsyncReads.readAll(both(), TYPE, token, 20, Duration.ofSeconds(60));

		assertThat(reads).allSatisfy((read) -> assertThat(read.status()).as(read.body()).isEqualTo(200));
		assertThat(reads.stream().map(Read::accessToken).distinct()).hasSize(1);
		assertRefreshed(reads.get(0));
		assertThat(monitor().refreshRequests() - requestsBefore).isEqualTo(1);
		assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
		assertEachRefreshTokenUsedOnce();
	}

	@Test
	void stillValidTokenIsServedWhileTheTokenEndpointIsDownAndRefreshResumesWhenItIsBack() throws Exception {
		String token = ServiceTokens.forApp("app-outage");
		String old = connectWithTokenExpiringSoon(token, SHORT_STILL_VALID_AFTER_DUE);
		int invalidBefore = monitor().invalidGrants();
		monitor().down(true);

		for (int i = 0; i < 10; i++) {
			BrokerClient.Response read = broker(i % 2).get("/connectors/" + TYPE + "/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			assertThat(read.json().get("accessToken").asString()).isEqualTo(old);
		}
		// After the first failure the replicas back off instead of calling the failing endpoint on every read.
		assertThat(monitor().refused()).isLessThanOrEqualTo(2);

		monitor().down(false);
		String fresh = awaitNewToken(token, old, Duration.ofSeconds(20));
		assertThat(deployment.server().accepts(fresh, Instant.now())).isTrue();
		assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
		assertEachRefreshTokenUsedOnce();
	}

	@Test
	void expiredTokenWhileTheTokenEndpointIsDownAnswers503WithRetryAfterUntilItIsBack() throws Exception {
		String token = ServiceTokens.forApp("app-expired-outage");
		deployment.server().accessTokenLifetime(Duration.ofSeconds(2));
		connect(token, 0);
		deployment.server().accessTokenLifetime(Duration.ofMinutes(5));
		Thread.sleep(2_500);
		monitor().down(true);

		BrokerClient.Response read = broker(1).get("/connectors/" + TYPE + "/connection", token);

		assertThat(read.status()).as(read.toString()).isEqualTo(503);
		assertThat(read.contentType()).startsWith("application/problem+json");
		assertThat(read.json().get("code").asString()).isEqualTo("provider_unavailable");
		assertThat(Integer.parseInt(read.header("Retry-After"))).isPositive();
		assertThat(read.body()).doesNotContain("eyJ");

		monitor().down(false);
		BrokerClient.Response back = broker(0).get("/connectors/" + TYPE + "/connection", token);
		assertThat(back.status()).as(back.toString()).isEqualTo(200);
		assertThat(deployment.server().accepts(back.json().get("accessToken").asString(), Instant.now())).isTrue();
	}

	@Test
	void revokedGrantEndsAsExpiredAndReadsAnswer409ReauthorizationRequired() throws Exception {
		String token = ServiceTokens.forApp("app-revoked");
		String accessToken = connectWithTokenExpiringSoon(token);
		deployment.server().revokeGrantOf(accessToken);

		BrokerClient.Response read = broker(0).get("/connectors/" + TYPE + "/connection", token);

		assertThat(read.status()).as(read.toString()).isEqualTo(409);
		assertThat(read.json().get("code").asString()).isEqualTo("reauthorization_required");
		assertThat(read.json().get("hint").asString()).isEqualTo("POST /connectors/" + TYPE + "/authorize");
		JsonNode connector = broker(1).get("/connectors/" + TYPE, token).json();
		assertThat(connector.get("status").asString()).isEqualTo("expired");
		// Not retried: the other replica answers the same without asking the provider again.
		int requests = monitor().refreshRequests();
		assertThat(broker(1).get("/connectors/" + TYPE + "/connection", token).json().get("code").asString())
			.isEqualTo("reauthorization_required");
		assertThat(monitor().refreshRequests()).isEqualTo(requests);
	}

	@Test
	void aRefreshAbandonedAfterTheProviderRotatedEndsInReauthorizationWithoutServingTheRevokedToken()
			throws Exception {
		String app = "app-abandoned-used";
		String token = ServiceTokens.forApp(app);
		String old = connectOnBoth(token);
		int requestsBefore = monitor().refreshRequests();
		double lostBefore = records().count("lost");

		// A replica died after the provider rotated the tokens: the stored access token is revoked there, though it
		// has minutes to live by its expiry, and the stored refresh token is used.
		reusedOnPurpose.add(AbandonedRefresh.leave(deployment.replicas().context(0), ConnectionRef.ofType(app, TYPE),
				Duration.ofSeconds(2), deployment.server()));
		AbandonedRefresh.awaitHeardBy(ConnectionRef.ofType(app, TYPE), deployment.replicas().context(0),
				deployment.replicas().context(1));
		assertThat(monitor().revokedAt(old)).isNotNull();
		List<Read> reads = AsyncReads.readAll(both(), TYPE, token, 20, Duration.ofSeconds(30));

		// Reads wait for the dead replica's lease, then the refresh is taken over and refused: never the old token.
		assertThat(reads).allSatisfy((read) -> {
			assertThat(read.status()).as(read.body()).isEqualTo(409);
			assertThat(read.json().get("code").asString()).isEqualTo("reauthorization_required");
		});
		assertThat(monitor().refreshRequests() - requestsBefore).as("the dead replica's and the takeover").isEqualTo(2);
		JsonNode connector = broker(1).get("/connectors/" + TYPE, token).json();
		assertThat(connector.get("status").asString()).isEqualTo("expired");
		assertThat(connector.get("statusReason").asString()).contains("invalid_grant").contains("interrupted");
		assertThat(records().count("lost") - lostBefore).isEqualTo(1);
		records().awaitLost(app);
	}

	@Test
	void aRefreshAbandonedBeforeItReachedTheProviderIsTakenOverAndANewTokenServed() throws Exception {
		String app = "app-abandoned-unsent";
		String token = ServiceTokens.forApp(app);
		String old = connectOnBoth(token);
		int requestsBefore = monitor().refreshRequests();
		double recoveredBefore = records().count("recovered");

		AbandonedRefresh.leave(deployment.replicas().context(1), ConnectionRef.ofType(app, TYPE),
				Duration.ofSeconds(2), null);
		AbandonedRefresh.awaitHeardBy(ConnectionRef.ofType(app, TYPE), deployment.replicas().context(0),
				deployment.replicas().context(1));
		List<Read> reads = AsyncReads.readAll(both(), TYPE, token, 20, Duration.ofSeconds(30));

		assertThat(reads).allSatisfy((read) -> assertThat(read.status()).as(read.body()).isEqualTo(200));
		assertThat(reads.stream().map(Read::accessToken).distinct()).hasSize(1);
		String fresh = reads.get(0).accessToken();
		assertThat(fresh).isNotEqualTo(old);
		assertThat(monitor().revokedAt(fresh)).isNull();
		assertRefreshed(reads.get(0));
		assertThat(monitor().refreshRequests() - requestsBefore).isEqualTo(1);
		assertThat(records().count("recovered") - recoveredBefore).isEqualTo(1);
		records().awaitRecovered(app);
		assertEachRefreshTokenUsedOnce();
	}

	/** Connects on replica 0 and reads the token on both, so that both hold the row in their caches. */
	private String connectOnBoth(String token) {
		String accessToken = connect(token, 0);
		BrokerClient.Response read = broker(1).get("/connectors/" + TYPE + "/connection", token);
		assertThat(read.json().get("accessToken").asString()).isEqualTo(accessToken);
		return accessToken;
	}

	/** Connects through the real flow with a token that is due for refresh on read once this returns. */
	private String connectWithTokenExpiringSoon(String token) {
		return connectWithTokenExpiringSoon(token, SHORT);
	}

	/**
	 * Connects with a token issued for {@code lifetime}, and returns once it is due for refresh on read: when the
	 * skew, capped at a third of the lifetime, is left.
	 */
	private String connectWithTokenExpiringSoon(String token, Duration lifetime) {
		deployment.server().accessTokenLifetime(lifetime);
		JsonNode connection = connectedGrant(token, 0);
		deployment.server().accessTokenLifetime(Duration.ofMinutes(5));
		// From the token's own expiry, not from when the dance started: a slow machine can take seconds to connect.
		Instant expiresAt = Instant.parse(connection.get("expiresAt").asString());
		assertThat(expiresAt).as("the token issued at connect time, not yet refreshed by the first read")
			.isBefore(Instant.now().plus(lifetime));
		Duration skew = (SKEW.compareTo(lifetime.dividedBy(3)) < 0) ? SKEW : lifetime.dividedBy(3);
		sleepUntil(expiresAt.minus(skew).plusMillis(500));
		return connection.get("accessToken").asString();
	}

	/** The access token right after connecting (read from the database through a replica, without refreshing). */
	private String connect(String token, int replica) {
		return connectedGrant(token, replica).get("accessToken").asString();
	}

	private JsonNode connectedGrant(String token, int replica) {
		BrokerClient.Response callback = OAuthDance.connect(broker(replica), token, TYPE);
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		assertThat(callback.body()).contains("Connected");
		BrokerClient.Response read = broker(replica).get("/connectors/" + TYPE + "/connection", token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json();
	}

	private String awaitNewToken(String token, String old, Duration within) throws InterruptedException {
		Instant deadline = Instant.now().plus(within);
		while (Instant.now().isBefore(deadline)) {
			BrokerClient.Response read = broker(0).get("/connectors/" + TYPE + "/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			String current = read.json().get("accessToken").asString();
			if (!current.equals(old)) {
				return current;
			}
			Thread.sleep(250);
		}
		throw new AssertionError("The token was not refreshed within " + within);
	}

	/** The token was issued by the refresh (5 min lifetime), not at connect time (9 s), and the server accepts it. */
	private static void assertRefreshed(Read read) {
		JsonNode json = read.json();
		assertThat(Instant.parse(json.get("expiresAt").asString())).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
		assertThat(deployment.server().accepts(json.get("accessToken").asString(), read.at())).isTrue();
	}

	private static void assertEachRefreshTokenUsedOnce() {
		assertThat(monitor().refreshTokenUses()).allSatisfy((refreshToken, uses) -> assertThat(uses)
			.isEqualTo(reusedOnPurpose.contains(refreshToken) ? 2 : 1));
	}

	@Test
	void pairsStoredTogetherAreEachFencedOnTheirVersionAndOneThatCannotBeStoredFailsAlone() throws Exception {
		JdbcClient db = deployment.replicas().context(0).getBean(JdbcClient.class);
		RefreshWriter writer = deployment.replicas().context(0).getBean(RefreshWriter.class);
		Instant now = Instant.now();
		db.sql("insert into app (id, created_at) values ('app-groups', ?)").param(ConnectionRows.ts(now)).update();
		db.sql("""
				insert into connector (id, app_id, integration_type, scopes, created_at, updated_at)
				values ('con-groups', 'app-groups', ?, 'read', ?, ?)""")
			.params(TYPE, ConnectionRows.ts(now), ConnectionRows.ts(now))
			.update();
		int count = 40;
		for (int i = 0; i < count; i++) {
			db.sql("""
					insert into connection (id, connector_id, app_id, app_user_id, status, access_token, refresh_token,
					                        lease_owner, lease_until, version, created_at, updated_at)
					values (?, 'con-groups', 'app-groups', ?, 'ACTIVE', 'old', 'old', 'me', ?, 1, ?, ?)""")
				.params("conn-group-" + i, "user-" + i, ConnectionRows.ts(now.plusSeconds(60)), ConnectionRows.ts(now),
						ConnectionRows.ts(now))
				.update();
		}
		// Pair 0 is too long for its column; pair 1 was read at a version that is no longer current.
		ExecutorService pool = Executors.newFixedThreadPool(count);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Boolean>> saves = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RefreshedPair pair = new RefreshedPair("conn-group-" + i, (i == 1) ? 0 : 1,
					(i == 0) ? "x".repeat(9000) : "new-access-" + i, "new-refresh-" + i, now.plusSeconds(3600), null,
					now.plusSeconds(3000), now);
			saves.add(pool.submit(() -> {
				start.await();
				return writer.save(pair);
			}));
		}
		start.countDown();
		assertThatThrownBy(() -> saves.get(0).get()).hasCauseInstanceOf(DataAccessException.class);
		assertThat(saves.get(1).get()).isFalse();
		for (int i = 2; i < count; i++) {
			assertThat(saves.get(i).get()).isTrue();
		}
		pool.shutdown();
		List<Map<String, Object>> rows = db
			.sql("select id, access_token, refresh_token, lease_owner, version from connection "
					+ "where connector_id = 'con-groups' order by id")
			.query()
			.listOfRows();
		for (Map<String, Object> row : rows) {
			int i = Integer.parseInt(((String) row.get("id")).substring("conn-group-".length()));
			boolean stored = i >= 2;
			assertThat(row.get("access_token")).isEqualTo(stored ? "new-access-" + i : "old");
			assertThat(row.get("refresh_token")).isEqualTo(stored ? "new-refresh-" + i : "old");
			// The lease goes only with the new tokens stored.
			assertThat(row.get("lease_owner")).isEqualTo(stored ? null : "me");
			assertThat(((Number) row.get("version")).longValue()).isEqualTo(stored ? 2 : 1);
		}
	}

	private static TokenEndpointMonitor monitor() {
		return deployment.server().tokenEndpoint();
	}

	private static BrokerClient broker(int replica) {
		return deployment.replicas().client(replica);
	}

	private static List<BrokerClient> both() {
		return List.of(broker(0), broker(1));
	}

	private static void sleepUntil(Instant when) {
		long millis = Duration.between(Instant.now(), when).toMillis();
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static InterruptedRefreshRecords records() {
		return new InterruptedRefreshRecords(deployment.replicas());
	}

}
