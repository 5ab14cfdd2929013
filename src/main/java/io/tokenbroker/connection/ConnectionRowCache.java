package io.tokenbroker.connection;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenbroker.connector.ConnectorChanged;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Copies of the active connection rows that token reads serve, so that reading a hot connection costs no database
 * round trip. Correctness rests on eviction, not on expiry:
 * <ul>
 * <li>every committed change to a row is announced by PostgreSQL to every replica and evicts the copy
 * ({@link ConnectionChangeListener}); this replica's own writes evict at once as well;</li>
 * <li>a row loaded while any eviction happened is dropped again right after it was kept, so a read that raced a
 * change never parks the older row;</li>
 * <li>reads that miss the same row at once share one database read, but never one that started before an eviction
 * ({@link SharedLoads});</li>
 * <li>while this replica is not listening, nothing is cached and every read goes to the database.</li>
 * </ul>
 * A cached row is served exactly like one just read: its expiry is checked on every read, and one that is about to
 * expire is refreshed through the database. Rows are kept by connection id, with a bounded index from each
 * {@link ConnectionRef} read to that id (a stale index entry only costs a miss: the row must match the reference).
 */
@Component
class ConnectionRowCache {

	private final boolean enabled;

	private final Cache<String, ConnectionRow> rows;

	private final Cache<ConnectionRef, String> ids;

	/** Incremented by every eviction; a load that saw it change drops what it loaded. */
	private final AtomicLong evictions = new AtomicLong();

	/** Misses of the same reference at the same time share one database read. */
	private final SharedLoads<ConnectionRef, Optional<ConnectionRow>> loads = new SharedLoads<>();

	private final Counter hits;

	private final Counter misses;

	private volatile boolean listening;

	ConnectionRowCache(ConnectionCacheProperties properties, MeterRegistry metrics) {
		this.enabled = properties.active();
		int size = Math.max(properties.maxSize(), 1);
		this.rows = Caffeine.newBuilder()
			.maximumSize(size)
			.expireAfter(new SpreadExpiry<String, ConnectionRow>(properties.timeToLive()))
			.build();
		this.ids = Caffeine.newBuilder().maximumSize(2L * size).build();
		this.hits = Counter.builder("broker.connection.cache.requests").tag("result", "hit")
			.description("Token reads of a connection row, by whether the row was cached")
			.register(metrics);
		this.misses = Counter.builder("broker.connection.cache.requests").tag("result", "miss")
			.description("Token reads of a connection row, by whether the row was cached")
			.register(metrics);
		Gauge.builder("broker.connection.cache.size", this.rows, Cache::estimatedSize)
			.description("Connection rows cached by this replica")
			.register(metrics);
		Gauge.builder("broker.connection.cache.listening", this, (cache) -> cache.listening ? 1 : 0)
			.description("1 while this replica receives change notifications and may cache rows, else 0")
			.register(metrics);
	}

	/** The row for {@code key}: cached, or read with {@code loader} (and kept when active). */
	Optional<ConnectionRow> get(ConnectionRef key, Supplier<Optional<ConnectionRow>> loader) {
		if (!this.listening) {
			return loader.get();
		}
		String id = this.ids.getIfPresent(key);
		if (id != null) {
			ConnectionRow row = this.rows.getIfPresent(id);
			if (row != null && key.matches(row)) {
				this.hits.increment();
				return Optional.of(row);
			}
		}
		this.misses.increment();
		long seen = this.evictions.get();
		return this.loads.load(key, seen, () -> {
			Optional<ConnectionRow> loaded = loader.get();
			loaded.filter((row) -> row.status() == ConnectionStatus.ACTIVE).ifPresent((row) -> keep(key, row, seen));
			return loaded;
		});
	}

	private void keep(ConnectionRef key, ConnectionRow row, long seen) {
		this.rows.put(row.id(), row);
		this.ids.put(key, row.id());
		// Checked after the put: an eviction that came in between either saw the row (and removed it) or moved the
		// counter, so an older row read before a change cannot stay.
		if (this.evictions.get() != seen || !this.listening) {
			this.rows.invalidate(row.id());
		}
	}

	void evict(String connectionId) {
		this.evictions.incrementAndGet();
		this.rows.invalidate(connectionId);
	}

	/**
	 * Drops this replica's copy of a row it has just written, now and, inside a transaction, again after it ends: a
	 * read in between may have cached the row as it was before the commit.
	 */
	void evictWritten(String connectionId) {
		evict(connectionId);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					evict(connectionId);
				}
			});
		}
	}

	/** A connector's config, removal or deletion changes what all of its connections serve. */
	void evictConnector(String connectorId) {
		this.evictions.incrementAndGet();
		this.rows.asMap().values().removeIf((row) -> row.connectorId().equals(connectorId));
	}

	void evictAll() {
		this.evictions.incrementAndGet();
		this.rows.invalidateAll();
	}

	@TransactionalEventListener(fallbackExecution = true)
	void onConnectorChanged(ConnectorChanged event) {
		evictConnector(event.connectorId());
	}

	/**
	 * Called by the listener: true once it listens (whatever was cached before may have changed unseen, so the cache
	 * starts empty), false when it lost its session.
	 */
	void listening(boolean listening) {
		if (listening && !this.enabled) {
			return;
		}
		if (!listening) {
			this.listening = false;
		}
		evictAll();
		this.listening = listening;
	}

	boolean isListening() {
		return this.listening;
	}

}
