package io.tokenbroker.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ProxiedStrictServer;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;

/**
 * A provider whose token endpoint hangs, next to one that works. The hanging one's token endpoint is the strict
 * authorization server behind a proxy that can hold refresh requests without passing them on; the healthy one is the
 * same server reached directly. Once the hanging provider's circuit breaker opens, reads that need a refresh from it
 * are answered 503 at once instead of each waiting for its own read timeout, the healthy provider's connections are
 * still served and refreshed, and the breaker closes once the provider answers again.
 */
@RunsBesideSharedBrokers
class HangingProviderTests {

	private static final String HEALTHY = "strictidp";

	private static final String HANGING = "stricthanging";

	/** Tokens issued for 2 s: expired, so needing a refresh before any read, by the time the test reads them. */
	private static final Duration SHORT = Duration.ofSeconds(2);

	private static final Duration OPEN_FOR = Duration.ofSeconds(4);

	private static ProxiedStrictServer provider;

	private static BrokerReplicas broker;

	@BeforeAll
	static void start() {
		provider = ProxiedStrictServer.start();
		Map<String, String> settings = provider.providerSettings(HEALTHY, HANGING);
		// Reads alone refresh here, so that each one that needs a refresh is seen to wait or not.
		settings.put("broker.refresh.scheduler-enabled", "false");
		settings.put("broker.refresh.backoff", "1s");
		settings.put("broker.refresh.max-backoff", "2s");
		// Longer than a refresh through the proxy takes on a busy machine: a trial call that timed out after the
		// server rotated would rightly end in re-authorization.
		settings.put("broker.oauth.read-timeout", "3s");
		settings.put("broker.oauth.circuit-breaker.minimum-number-of-calls", "4");
		settings.put("broker.oauth.circuit-breaker.sliding-window-size", "4");
		settings.put("broker.oauth.circuit-breaker.wait-in-open-state", OPEN_FOR.toSeconds() + "s");
		settings.put("broker.oauth.circuit-breaker.permitted-calls-in-half-open-state", "1");
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

	@Test
	void afterTheBreakerOpensReadsNeedingARefreshAre503AtOnceOthersAreServedAndItClosesWhenTheProviderIsBack()
			throws Exception {
		List<String> tripping = connectAll(HANGING, "app-hang-trip-", 2);
		List<String> waiting = connectAll(HANGING, "app-hang-wait-", 3);
		String healthy = connectAll(HEALTHY, "app-hang-healthy-", 1).get(0);
		String healthyOld = read(HEALTHY, healthy).json().get("accessToken").asString();
		Thread.sleep(SHORT.plusMillis(500).toMillis());
		StubMapping hang = provider.proxy().stubFor(post(urlPathEqualTo("/oauth2/token")).atPriority(1)
			.withRequestBody(containing("grant_type=refresh_token"))
			.willReturn(aResponse().withStatus(503).withFixedDelay(10_000)));

		// Each of these waits for its read timeout, twice (the unanswered refresh is repeated at once): four
		// failures, and the breaker opens.
		for (String token : tripping) {
			assertThat(read(HANGING, token).status()).isEqualTo(503);
		}
		assertThat(breakerState(HANGING)).isEqualTo("open");

		for (String token : waiting) {
			long start = System.nanoTime();
			BrokerClient.Response read = read(HANGING, token);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(read.status()).as(read.toString()).isEqualTo(503);
			assertThat(read.contentType()).startsWith("application/problem+json");
			assertThat(read.json().get("code").asString()).isEqualTo("provider_unavailable");
			assertThat(Integer.parseInt(read.header("Retry-After"))).isBetween(1, (int) OPEN_FOR.toSeconds());
			assertThat(read.body()).doesNotContain("eyJ").doesNotContain(StrictAuthorizationServer.CLIENT_SECRET);
			assertThat(took).as("answered without calling the provider").isLessThan(Duration.ofMillis(500));
		}
		BrokerClient.Response other = read(HEALTHY, healthy);
		assertThat(other.status()).as(other.toString()).isEqualTo(200);
		assertThat(other.json().get("accessToken").asString()).isNotEqualTo(healthyOld);
		assertThat(provider.server().accepts(other.json().get("accessToken").asString(), Instant.now())).isTrue();
		assertThat(breakerState(HEALTHY)).isEqualTo("closed");

		provider.proxy().removeStub(hang);
		String first = waiting.get(0);
		BrokerClient.Response back = awaitServed(HANGING, first, OPEN_FOR.plusSeconds(10));
		assertThat(provider.server().accepts(back.json().get("accessToken").asString(), Instant.now())).isTrue();
		assertThat(breakerState(HANGING)).isEqualTo("closed");
		// The connections whose refresh got no answer are taken over and recovered: the proxy never passed them on.
		for (String token : tripping) {
			assertThat(awaitServed(HANGING, token, Duration.ofSeconds(10)).status()).isEqualTo(200);
		}
	}

	private static List<String> connectAll(String type, String appPrefix, int count) {
		provider.server().accessTokenLifetime(SHORT);
		try {
			List<String> tokens = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				String token = ServiceTokens.forApp(appPrefix + i);
				BrokerClient.Response callback = OAuthDance.connect(broker.client(0), token, type);
				assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
				assertThat(callback.body()).contains("Connected");
				tokens.add(token);
			}
			return tokens;
		}
		finally {
			provider.server().accessTokenLifetime(Duration.ofMinutes(5));
		}
	}

	private static BrokerClient.Response read(String type, String token) {
		return broker.client(0).get("/connectors/" + type + "/connection", token);
	}

	private static BrokerClient.Response awaitServed(String type, String token, Duration within)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(within);
		while (true) {
			BrokerClient.Response read = read(type, token);
			if (read.status() == 200) {
				return read;
			}
			assertThat(Instant.now()).as("served again within " + within + "; last: " + read).isBefore(deadline);
			Thread.sleep(250);
		}
	}

	/** The breaker state the broker's metrics report for {@code provider}. */
	private static String breakerState(String provider) {
		String metrics = broker.managementClient(0).get("/actuator/prometheus", null).body();
		Matcher matcher = Pattern.compile("(?m)^resilience4j_circuitbreaker_state\\{([^}]*)} 1\\.0$").matcher(metrics);
		while (matcher.find()) {
			String labels = matcher.group(1);
			if (labels.contains("name=\"" + provider + "\"")) {
				Matcher state = Pattern.compile("state=\"([a-z_]+)\"").matcher(labels);
				return state.find() ? state.group(1) : null;
			}
		}
		return "closed";
	}

}
