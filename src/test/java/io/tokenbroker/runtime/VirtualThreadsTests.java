package io.tokenbroker.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerReplicas;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.StrictAuthorizationServer;
import io.tokenbroker.support.VirtualThreads;
import io.tokenbroker.support.WebhookReceiver;
import io.tokenbroker.support.WebhookReceiver.Received;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The broker with Spring's {@code spring.threads.virtual.enabled} on, through the public API: a connection is
 * authorized and announced by webhook, renewed by the background refresher, and used through the proxy, whose 401 has
 * it refreshed on the request's thread and the call repeated. On JDK 21 and later the web server serves requests on
 * virtual threads (the refresher's and the webhook senders' own threads are checked in {@code RefreshSchedulerTests}
 * and {@code DeliveryWorkerThreadsTests}); on 17 the switch is ignored, as Spring Boot ignores it, and all of this
 * works the same.
 */
@RunsBesideSharedBrokers
class VirtualThreadsTests {

	private static final String TYPE = "strictidp";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static StrictAuthorizationServer server;

	private static WireMockServer providerApi;

	private static WebhookReceiver receiver;

	private static BrokerReplicas broker;

	@BeforeAll
	static void start() {
		server = StrictAuthorizationServer.start();
		providerApi = new WireMockServer(WireMockConfiguration.options().dynamicPort());
		providerApi.start();
		receiver = WebhookReceiver.start();
		Map<String, String> settings = new LinkedHashMap<>(
				server.providerProperties(TYPE, StrictAuthorizationServer.CLIENT_ID));
		settings.put("spring.threads.virtual.enabled", "true");
		settings.put("broker.providers." + TYPE + ".api-base-url", "http://localhost:" + providerApi.port());
		settings.put("broker.refresh.scheduler-enabled", "true");
		settings.put("broker.refresh.scheduler-interval", "100ms");
		settings.put("broker.webhooks.allowed-private-hosts", "127.0.0.1");
		settings.put("broker.webhooks.poll-interval", "100ms");
		broker = BrokerReplicas.start(1, settings);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (receiver != null) {
			receiver.close();
		}
		if (providerApi != null) {
			providerApi.stop();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void requestsAreServedOnVirtualThreadsWhereTheJvmHasThem() {
		WebServerApplicationContext context = (WebServerApplicationContext) broker.context(0);
		Executor requests = ((TomcatWebServer) context.getWebServer()).getTomcat()
			.getConnector()
			.getProtocolHandler()
			.getExecutor();

		assertThat(requests instanceof VirtualThreadExecutor).as("%s is Tomcat's virtual-thread executor", requests)
			.isEqualTo(VirtualThreads.supported());
	}

	@Test
	void aNewConnectionIsAnnouncedByASignedWebhook() {
		String token = ServiceTokens.forApp("app-vt-webhook");
		BrokerClient.Response endpoint = client().post("/webhooks/endpoints", token,
				"{\"url\": \"" + receiver.url("vt") + "\", \"eventTypes\": [\"connection.created\"]}");
		assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);

		connect(token);

		Received event = receiver.await("vt", (r) -> true, WAIT);
		assertThat(event.verifies(endpoint.json().get("secret").asString())).isTrue();
		assertThat(event.json().at("/data/app_id").asString()).isEqualTo("app-vt-webhook");
	}

	@Test
	void theBackgroundRefresherRenewsAShortLivedToken() throws InterruptedException {
		String token = ServiceTokens.forApp("app-vt-scheduled");
		double before = refreshes("scheduled");
		// Renewed by the scheduler within a third of its lifetime before expiry; the refreshed one lives 5 minutes.
		String first = connectWithLifetime(token, Duration.ofSeconds(6));

		awaitUntil(() -> refreshes("scheduled") > before);

		assertThat(accessToken(token)).isNotEqualTo(first);
	}

	@Test
	void aProxyCallWhoseTokenIsRejectedHasItRefreshedAndIsRepeated() {
		String token = ServiceTokens.forApp("app-vt-proxy");
		// Expiring (within the refresh window), so a 401 is worth a refresh; not due for the scheduler yet.
		String first = connectWithLifetime(token, Duration.ofSeconds(120));
		String path = "/vt-" + UUID.randomUUID();
		providerApi.stubFor(any(urlPathEqualTo(path)).atPriority(1)
			.withHeader("Authorization", equalTo("Bearer " + first))
			.willReturn(aResponse().withStatus(401)));
		providerApi.stubFor(any(urlPathEqualTo(path)).atPriority(2).willReturn(okJson("{\"ok\":true}")));

		BrokerClient.Response response = client().post("/connectors/" + TYPE + "/proxy", token,
				"{\"path\": \"" + path + "\"}");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode result = response.json();
		assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(200);
		List<LoggedRequest> sent = providerApi.findAll(anyRequestedFor(urlPathEqualTo(path)));
		assertThat(sent).hasSize(2);
		String renewed = accessToken(token);
		assertThat(renewed).isNotEqualTo(first);
		assertThat(sent.get(1).getHeader("Authorization")).isEqualTo("Bearer " + renewed);
	}

	/** Connects the app's connector through the real flow; returns the access token the first read serves. */
	private static String connect(String token) {
		BrokerClient.Response callback = OAuthDance.connect(client(), token, TYPE);
		assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
		return accessToken(token);
	}

	private static String accessToken(String token) {
		BrokerClient.Response read = client().get("/connectors/" + TYPE + "/connection", token);
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		return read.json().get("accessToken").asString();
	}

	private static double refreshes(String trigger) {
		return broker.context(0)
			.getBean(MeterRegistry.class)
			.find("broker.refresh.attempts")
			.tags("trigger", trigger, "outcome", "success")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	/** Connects with a first access token of the given lifetime; the ones issued later live 5 minutes. */
	private static String connectWithLifetime(String token, Duration lifetime) {
		server.accessTokenLifetime(lifetime);
		try {
			return connect(token);
		}
		finally {
			server.accessTokenLifetime(Duration.ofMinutes(5));
		}
	}

	private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(WAIT);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("condition within %s", WAIT).isBefore(deadline);
			Thread.sleep(50);
		}
	}

	private static BrokerClient client() {
		return broker.client(0);
	}

}
