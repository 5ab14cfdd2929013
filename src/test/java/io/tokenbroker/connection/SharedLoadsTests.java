package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedLoadsTests {

	private final SharedLoads<String, String> loads = new SharedLoads<>();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final CountDownLatch loading = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger reads = new AtomicInteger();

	@AfterEach
	void stopThreads() {
		this.release.countDown();
		this.threads.shutdownNow();
	}

	@Test
	void readsMissingTheSameKeyTogetherShareOneLoad() throws Exception {
		Future<String> first = this.threads.submit(() -> this.loads.load("row", 0, this::slowRead));
		assertThat(this.loading.await(10, TimeUnit.SECONDS)).isTrue();
		List<Future<String>> joined = new ArrayList<>();
		List<Thread> waiting = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 8; i++) {
			joined.add(this.threads.submit(() -> {
				waiting.add(Thread.currentThread());
				return this.loads.load("row", 0, this::otherRead);
			}));
		}
		awaitWaiting(waiting, 8);

		this.release.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("read 1");
		for (Future<String> read : joined) {
			assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("read 1");
		}
		assertThat(this.reads).hasValue(1);
	}

	@Test
	void aReadAfterAnEvictionDoesNotJoinALoadThatStartedBeforeIt() throws Exception {
		Future<String> before = this.threads.submit(() -> this.loads.load("row", 0, this::slowRead));
		assertThat(this.loading.await(10, TimeUnit.SECONDS)).isTrue();

		String after = this.loads.load("row", 1, this::otherRead);

		assertThat(after).isEqualTo("other read");
		assertThat(before).isNotDone();
		this.release.countDown();
		assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("read 1");
	}

	@Test
	void differentKeysDoNotWaitForEachOther() throws Exception {
		Future<String> slow = this.threads.submit(() -> this.loads.load("row", 0, this::slowRead));
		assertThat(this.loading.await(10, TimeUnit.SECONDS)).isTrue();

		assertThat(this.loads.load("another row", 0, this::otherRead)).isEqualTo("other read");
		assertThat(slow).isNotDone();
	}

	@Test
	void aFailedLoadFailsTheReadsThatJoinedItAndTheNextReadLoadsAgain() throws Exception {
		Future<String> failing = this.threads.submit(() -> this.loads.load("row", 0, () -> {
			this.loading.countDown();
			awaitRelease();
			throw new IllegalStateException("database unavailable");
		}));
		assertThat(this.loading.await(10, TimeUnit.SECONDS)).isTrue();
		List<Thread> waiting = new CopyOnWriteArrayList<>();
		CompletableFuture<String> joined = CompletableFuture.supplyAsync(() -> {
			waiting.add(Thread.currentThread());
			return this.loads.load("row", 0, this::otherRead);
		}, this.threads);
		awaitWaiting(waiting, 1);

		this.release.countDown();

		assertThat(failing).failsWithin(Duration.ofSeconds(10));
		assertThatIllegalStateException().isThrownBy(() -> unwrap(joined)).withMessage("database unavailable");
		assertThat(this.loads.load("row", 0, this::otherRead)).isEqualTo("other read");
	}

	private String slowRead() {
		this.loading.countDown();
		awaitRelease();
		return "read " + this.reads.incrementAndGet();
	}

	private String otherRead() {
		return "other read";
	}

	private void awaitRelease() {
		try {
			this.release.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Until {@code count} threads are parked, waiting for the running load. */
	private static void awaitWaiting(List<Thread> threads, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (threads.size() == count
					&& threads.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING)) {
				return;
			}
			Thread.sleep(5);
		}
		throw new AssertionError("the reads did not wait for the running load");
	}

	private static String unwrap(CompletableFuture<String> future) {
		try {
			return future.join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			throw (RuntimeException) ex.getCause();
		}
	}

}
