package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.BrokerProcess;
import io.tokenbroker.support.RunsBesideSharedBrokers;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;
import io.tokenbroker.support.WebhookReceiver;
import io.tokenbroker.support.WebhookReceiver.Received;

/**
 * At-least-once delivery across a crash: one replica runs in a process of its own and is killed with SIGKILL while
 * it is sending; the other replica, in this JVM, takes over the killed one's deliveries once their leases run out.
 */
@RunsBesideSharedBrokers
class WebhookCrashSafetyTests {

	private static final int EVENTS = 60;

	private static final Map<String, String> WEBHOOKS = Map.of("broker.webhooks.allowed-private-hosts", "127.0.0.1",
			"broker.webhooks.concurrency", "4", "broker.webhooks.lease", "3s", "broker.webhooks.poll-interval", "200ms",
			"broker.webhooks.initial-backoff", "500ms", "broker.webhooks.max-backoff", "2s");

	@Test
	void everyEventIsDeliveredAtLeastOnceWhenAReplicaIsKilledMidDeliveryAndDuplicatesShareTheirWebhookId()
			throws Exception {
		String database = TestDatabase.newDatabase("crash");
		String token = ServiceTokens.forApp("app-crash");
		try (WebhookReceiver receiver = WebhookReceiver.start();
				BrokerProcess doomed = BrokerProcess.start("webhook-crash-replica", database, WEBHOOKS,
						Duration.ofMinutes(3));
				BrokerInstance survivor = BrokerInstance.start(database, WEBHOOKS)) {
			// Each answer takes 300 ms, so the killed replica has deliveries in flight (claimed, sent, unanswered).
			receiver.delay(Duration.ofMillis(300));
			BrokerClient.Response created = doomed.client().post("/webhooks/endpoints", token,
					"{\"url\": \"" + receiver.url("crash") + "\"}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String secret = created.json().get("secret").asString();
			String endpoint = created.json().at("/endpoint/id").asString();
			List<String> sent = new ArrayList<>();
			for (int i = 0; i < EVENTS; i++) {
				BrokerClient.Response test = doomed.client().post("/webhooks/endpoints/" + endpoint + "/test", token, null);
				assertThat(test.status()).as(test.toString()).isEqualTo(202);
				sent.add(test.json().get("eventId").asString());
			}

			awaitReceived(receiver, 8);
			doomed.kill();
			int receivedAtKill = receiver.received("crash").size();

			Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
			while (!acceptedIds(receiver).containsAll(sent) && Instant.now().isBefore(deadline)) {
				Thread.sleep(200);
			}
			assertThat(receivedAtKill).as("the crash came in the middle of the deliveries").isLessThan(EVENTS);
			assertThat(acceptedIds(receiver)).containsAll(sent);
			List<Received> all = receiver.received("crash");
			assertThat(all).allSatisfy((r) -> {
				assertThat(sent).contains(r.id());
				assertThat(r.verifies(secret)).isTrue();
			});
			System.out.printf("Crash drill: %d requests for %d events, %d received when the replica was killed%n",
					all.size(), EVENTS, receivedAtKill);
			// A duplicate is the same event: same webhook-id, same body.
			for (Received r : all) {
				assertThat(all.stream().filter((o) -> o.id().equals(r.id())).map(Received::body).distinct()).hasSize(1);
			}
		}
	}

	private static Set<String> acceptedIds(WebhookReceiver receiver) {
		Set<String> ids = new HashSet<>();
		receiver.accepted("crash").forEach((r) -> ids.add(r.id()));
		return ids;
	}

	private static void awaitReceived(WebhookReceiver receiver, int count) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (receiver.received("crash").size() < count && Instant.now().isBefore(deadline)) {
			Thread.sleep(20);
		}
	}

}
