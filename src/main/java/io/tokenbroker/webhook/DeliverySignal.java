package io.tokenbroker.webhook;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/** Wakes this replica's delivery worker: an event was committed here, or a sending slot came free. */
@Component
class DeliverySignal {

	private final Semaphore signals = new Semaphore(0);

	void wake() {
		this.signals.release();
	}

	/** Waits until woken or {@code timeout} passed; signals that arrived meanwhile count as one. */
	void await(Duration timeout) throws InterruptedException {
		this.signals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
		this.signals.drainPermits();
	}

}
