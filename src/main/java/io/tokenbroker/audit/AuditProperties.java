package io.tokenbroker.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail's settings.
 * @param enabled whether records are kept at all (off only to measure its cost)
 * @param bufferCapacity records waiting to be written; when it is full, token reads and changes answer 503
 * @param batchSize records written per database round trip
 * @param linger how long the writer lets records gather before writing a batch that is not full: fewer, larger writes
 * under load, at the cost of records reaching the database this much later
 * @param enqueueTimeout how long a request waits for room in a full buffer before it answers 503
 * @param retention records older than this are deleted by the purge
 * @param purgeInterval pause between purges
 * @param logJson also write every record as one JSON line on the {@code io.tokenbroker.audit.events} logger
 * @param maxRetryDelay ceiling of the pause between attempts to write while the database refuses
 * @param shutdownTimeout how long shutdown waits for buffered records to be written
 */
@ConfigurationProperties("broker.audit")
record AuditProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10000") int bufferCapacity,
		@DefaultValue("500") int batchSize, @DefaultValue("20ms") Duration linger,
		@DefaultValue("100ms") Duration enqueueTimeout,
		@DefaultValue("365d") Duration retention, @DefaultValue("1h") Duration purgeInterval,
		@DefaultValue("false") boolean logJson, @DefaultValue("5s") Duration maxRetryDelay,
		@DefaultValue("10s") Duration shutdownTimeout) {

	public AuditProperties {
		if (bufferCapacity < 1 || batchSize < 1) {
			throw new IllegalArgumentException("broker.audit.buffer-capacity and batch-size must be positive");
		}
		if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
			throw new IllegalArgumentException("broker.audit.linger must be between 0 and 1s");
		}
	}

}
