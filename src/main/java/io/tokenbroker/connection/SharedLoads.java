package io.tokenbroker.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Database reads in progress, by key, so that reads missing the same row at the same time share one read: after a
 * restart, or a minute without traffic, every caller of a busy connection misses at once, and each extra read makes
 * the queue for the database longer. A read joins a load only if the load started in the same generation (no
 * eviction since): a load that began before a change may return the row as it was, which a read that arrives after
 * the change must not be given.
 */
final class SharedLoads<K, V> {

	private final ConcurrentHashMap<K, Load<V>> loads = new ConcurrentHashMap<>();

	/**
	 * The value of {@code loader}, or of the load of {@code key} already running in {@code generation}. A failed load
	 * fails the reads that joined it with the same exception.
	 */
	V load(K key, long generation, Supplier<V> loader) {
		Load<V> mine = new Load<>(generation);
		Load<V> running = this.loads.putIfAbsent(key, mine);
		if (running != null) {
			return (running.generation == generation) ? running.result() : loader.get();
		}
		try {
			V value = loader.get();
			mine.complete(value);
			return value;
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loads.remove(key, mine);
		}
	}

	private static final class Load<V> extends CompletableFuture<V> {

		private final long generation;

		Load(long generation) {
			this.generation = generation;
		}

		V result() {
			try {
				return join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (ex.getCause() instanceof Error error) {
					throw error;
				}
				throw ex;
			}
		}

	}

}
