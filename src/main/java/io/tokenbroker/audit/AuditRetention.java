package io.tokenbroker.audit;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes audit records older than {@code broker.audit.retention}: the only delete path of the trail. Every replica
 * runs it; concurrent purges delete disjoint or already-deleted rows, which is harmless.
 */
@Component
class AuditRetention {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private final AuditStore store;

	private final AuditProperties properties;

	private final Clock clock;

	AuditRetention(AuditStore store, AuditProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${broker.audit.purge-interval:1h}",
			fixedDelayString = "${broker.audit.purge-interval:1h}")
	public void purge() {
		try {
			long deleted = this.store.deleteOlderThan(Instant.now(this.clock).minus(this.properties.retention()));
			if (deleted > 0) {
				log.info("Purged {} audit records older than {}", deleted, this.properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Audit purge failed ({}); the next run retries", ex.getClass().getSimpleName());
		}
	}

}
