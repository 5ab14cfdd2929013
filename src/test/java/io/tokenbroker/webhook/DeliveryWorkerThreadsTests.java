package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokenbroker.support.VirtualThreads;

/**
 * The delivery worker's senders with Spring's virtual-thread switch on and off: virtual threads when it is on and the
 * JVM has them, and never more deliveries in flight than {@code broker.webhooks.concurrency} either way.
 */
class DeliveryWorkerThreadsTests {

	private static final int CONCURRENCY = 4;

	private static final int DELIVERIES = 40;

	@ParameterizedTest(name = "spring.threads.virtual.enabled={0}")
	@ValueSource(booleans = { true, false })
	void sendersFollowSpringsSwitchAndStayWithinTheSlots(boolean virtualThreads) throws Exception {
		Queue<DueDelivery> due = new ConcurrentLinkedQueue<>();
		for (int i = 0; i < DELIVERIES; i++) {
			due.add(new DueDelivery(i, 0, "evt_" + i, i, "connection.created", "{}", Instant.now(), "ep_1", "app",
					"https://hooks.example.com", true, 0, null, null));
		}
		DeliveryStore store = mock(DeliveryStore.class);
		given(store.claim(anyString(), anyInt(), any(), any())).willAnswer((invocation) -> {
			int limit = invocation.getArgument(1);
			List<DueDelivery> batch = new ArrayList<>();
			DueDelivery next;
			while (batch.size() < limit && (next = due.poll()) != null) {
				batch.add(next);
			}
			return batch;
		});
		List<Thread> senders = new CopyOnWriteArrayList<>();
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger mostInFlight = new AtomicInteger();
		CountDownLatch sent = new CountDownLatch(DELIVERIES);
		Delivery delivery = mock(Delivery.class);
		willAnswer((invocation) -> {
			senders.add(Thread.currentThread());
			mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			Thread.sleep(10);
			inFlight.decrementAndGet();
			sent.countDown();
			return null;
		}).given(delivery).deliver(any(), anyString());
		WebhookProperties properties = new WebhookProperties(true, CONCURRENCY, Duration.ofMillis(20),
				Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5),
				Duration.ofHours(1), Duration.ofHours(26), 5, 3, Duration.ofDays(7), List.of(), 20);
		DeliverySignal signal = new DeliverySignal();
		DeliveryWorker worker = new DeliveryWorker(store, delivery, new OutcomeWriter(store, signal, properties),
				signal, properties, Clock.systemUTC(), VirtualThreads.environment(virtualThreads));

		worker.start();
		try {
			assertThat(sent.await(30, TimeUnit.SECONDS)).as("all deliveries sent").isTrue();
		}
		finally {
			worker.stop();
		}

		assertThat(mostInFlight.get()).isBetween(1, CONCURRENCY);
		// On JDK 17 the switch is ignored, as Spring Boot ignores it there: platform threads.
		boolean expectVirtual = virtualThreads && VirtualThreads.supported();
		assertThat(senders).hasSize(DELIVERIES)
			.allSatisfy((t) -> assertThat(VirtualThreads.isVirtual(t)).as("%s is virtual", t).isEqualTo(expectVirtual));
	}

}
