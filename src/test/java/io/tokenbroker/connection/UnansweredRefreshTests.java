package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ProxiedStrictServer;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TokenEndpointMonitor;

/**
 * A refresh that was sent and got no answer within the broker's read timeout, against a strict authorization server
 * that rotates refresh tokens, revokes superseded access tokens and revokes the grant on reuse. The provider may have
 * rotated: the stored access token is never served again before a repeated refresh settles it. A refresh that never
 * left (the connection refused) is an ordinary transient failure: the token in hand is served while it is valid.
 */
@RunsBesideSharedBrokers
class UnansweredRefreshTests {

	private static final String TYPE = "strictidp";

	/** The same server, its token endpoint reached through a proxy that the test can take away. */
	private static final String PROXIED_TYPE = "strictproxied";

	/**
	 * Issued for 9 s and refreshed on read within 3 s of expiry (the 5 s skew, capped at a third of the lifetime): due
	 * 6 s after issue, which leaves connecting and the first read 6 s.
	 */
	private static final Duration SHORT = Duration.ofSeconds(9);

	/** Issued for 12 s: due 8 s after issue and still valid 4 s after that, for a test that serves it meanwhile. */
	private static final Duration SHORT_STILL_VALID_AFTER_DUE = Duration.ofSeconds(12);

	private static final Duration SKEW = Duration.ofSeconds(5);

	/** Longer than the broker's 5 s read timeout (short, yet long enough for a code exchange on a busy machine). */
	private static final Duration HOLD = Duration.ofSeconds(8);

	private static ProxiedStrictServer provider;

	private static BrokerReplicas broker;

	@BeforeAll
	static void start() {
		provider = ProxiedStrictServer.start();
		Map<String, String> settings = provider.providerSettings(TYPE, PROXIED_TYPE);
		settings.put("broker.refresh.scheduler-enabled", "false");
		settings.put("broker.refresh.skew", SKEW.toSeconds() + "s");
		settings.put("broker.refresh.backoff", "2s");
		settings.put("broker.refresh.max-backoff", "10s");
		settings.put("broker.oauth.read-timeout", "5s");
		broker = BrokerReplicas.start(1, settings);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (provider != null) {
			provider.close();
		}
	}

	@AfterEach
	void restoreServer() {
		monitor().holdRefreshAnswers(0, Duration.ZERO);
		monitor().loseRefreshRequests(0, Duration.ZERO);
		provider.server().accessTokenLifetime(Duration.ofMinutes(5));
	}

	@Test
	void anAnswerHeldBackAfterTheProviderRotatedEndsInReauthorizationWithoutServingTheRevokedToken()
			throws Exception {
		String app = "app-answer-lost-after-rotation";
		String token = ServiceTokens.forApp(app);
		String old = connectWithTokenDueSoon(TYPE, token, SHORT);
		int requestsBefore = monitor().refreshRequests();
		double lostBefore = records().count("lost");
		monitor().holdRefreshAnswers(1, HOLD);

		BrokerClient.Response read = broker.client(0).get("/connectors/" + TYPE + "/connection", token);

		// The first refresh rotated the tokens and timed out; the repeat presents the spent refresh token, which the
		// provider refuses (and revokes the grant for). The old token, valid by its expiry, is never served.
		assertThat(read.status()).as(read.toString()).isEqualTo(409);
		assertThat(read.json().get("code").asString()).isEqualTo("reauthorization_required");
		assertThat(read.body()).doesNotContain(old);
		assertThat(monitor().revokedAt(old)).as("superseded by the unanswered refresh").isNotNull();
		assertThat(monitor().refreshRequests() - requestsBefore).as("the unanswered refresh and its repeat")
			.isEqualTo(2);
		JsonNode connector = broker.client(0).get("/connectors/" + TYPE, token).json();
		assertThat(connector.get("status").asString()).isEqualTo("expired");
		assertThat(connector.get("statusReason").asString()).contains("invalid_grant").contains("interrupted");
		assertThat(records().count("lost") - lostBefore).isEqualTo(1);
		records().awaitLost(app);
	}

	@Test
	void aRequestLostBeforeTheProviderRotatedIsRepeatedAtOnceAndTheNewTokenServed() throws Exception {
		String app = "app-request-lost";
		String token = ServiceTokens.forApp(app);
		String old = connectWithTokenDueSoon(TYPE, token, SHORT);
		int requestsBefore = monitor().refreshRequests();
		int invalidBefore = monitor().invalidGrants();
		double recoveredBefore = records().count("recovered");
		monitor().loseRefreshRequests(1, HOLD);

		BrokerClient.Response read = broker.client(0).get("/connectors/" + TYPE + "/connection", token);

		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		String fresh = read.json().get("accessToken").asString();
		assertThat(fresh).isNotEqualTo(old);
		assertThat(provider.server().accepts(fresh, Instant.now())).isTrue();
		assertThat(monitor().revokedAt(fresh)).isNull();
		assertThat(monitor().refreshRequests() - requestsBefore).as("the lost refresh and its repeat").isEqualTo(2);
		assertThat(monitor().invalidGrants()).isEqualTo(invalidBefore);
		assertThat(records().count("recovered") - recoveredBefore).isEqualTo(1);
		records().awaitRecovered(app);
	}

	@Test
	void aRefusedConnectionIsTransientAndTheTokenInHandIsServedWhileValid() throws Exception {
		String app = "app-connection-refused";
		String token = ServiceTokens.forApp(app);
		String old = connectWithTokenDueSoon(PROXIED_TYPE, token, SHORT_STILL_VALID_AFTER_DUE);
		int requestsBefore = monitor().refreshRequests();
		double interruptedBefore = records().count("lost") + records().count("recovered");
		// Only this test uses the proxy: its port now refuses connections.
		provider.proxy().stop();

		for (int i = 0; i < 3; i++) {
			BrokerClient.Response read = broker.client(0).get("/connectors/" + PROXIED_TYPE + "/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			assertThat(read.json().get("accessToken").asString()).isEqualTo(old);
		}
		assertThat(monitor().refreshRequests()).as("nothing reached the provider").isEqualTo(requestsBefore);
		assertThat(records().count("lost") + records().count("recovered")).isEqualTo(interruptedBefore);
		JsonNode connector = broker.client(0).get("/connectors/" + PROXIED_TYPE, token).json();
		assertThat(connector.get("status").asString()).isEqualTo("active");
	}

	/**
	 * Connects through the real flow with a token issued for {@code lifetime} that a read refreshes once this returns:
	 * when the skew, capped at a third of the lifetime, is left.
	 */
	private static String connectWithTokenDueSoon(String type, String token, Duration lifetime) {
		provider.server().accessTokenLifetime(lifetime);
		JsonNode connection;
		try {
			BrokerClient.Response callback = OAuthDance.connect(broker.client(0), token, type);
			assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
			assertThat(callback.body()).contains("Connected");
			BrokerClient.Response read = broker.client(0).get("/connectors/" + type + "/connection", token);
			assertThat(read.status()).as(read.toString()).isEqualTo(200);
			connection = read.json();
		}
		finally {
			provider.server().accessTokenLifetime(Duration.ofMinutes(5));
		}
		Instant expiresAt = Instant.parse(connection.get("expiresAt").asString());
		assertThat(expiresAt).as("the token issued at connect time, not yet refreshed by the first read")
			.isBefore(Instant.now().plus(lifetime));
		Instant due = expiresAt.minus((SKEW.compareTo(lifetime.dividedBy(3)) < 0) ? SKEW : lifetime.dividedBy(3));
		sleep(Duration.between(Instant.now(), due.plusMillis(500)).toMillis());
		return connection.get("accessToken").asString();
	}

	private static TokenEndpointMonitor monitor() {
		return provider.server().tokenEndpoint();
	}

	private static void sleep(long millis) {
		if (millis <= 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static InterruptedRefreshRecords records() {
		return new InterruptedRefreshRecords(broker);
	}

}
