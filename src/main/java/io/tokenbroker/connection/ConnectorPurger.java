package io.tokenbroker.connection;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends the grace period of removed connectors: revokes their grants at the provider and deletes them with their
 * connections. Each replica claims a connector before purging it, so a grant is revoked once.
 */
@Component
public class ConnectorPurger {

	private static final Logger log = LoggerFactory.getLogger(ConnectorPurger.class);

	private static final int BATCH = 50;

	// A replica that dies mid-purge leaves the connector to be claimed again after this.
	private static final Duration CLAIM = Duration.ofMinutes(10);

	private final ConnectorService connectors;

	private final Disconnector disconnector;

	ConnectorPurger(ConnectorService connectors, Disconnector disconnector) {
		this.connectors = connectors;
		this.disconnector = disconnector;
	}

	@Scheduled(initialDelayString = "${broker.connectors.purge-interval:5m}",
			fixedDelayString = "${broker.connectors.purge-interval:5m}")
	public void purgeDue() {
		for (Connector connector : this.connectors.claimDuePurges(BATCH, CLAIM)) {
			try {
				this.disconnector.deleteConnector(connector);
				log.info("Purged removed connector {} ({})", connector.getId(), connector.getIntegrationType());
			}
			catch (RuntimeException ex) {
				log.warn("Purging connector {} failed; it will be retried", connector.getId(), ex);
			}
		}
	}

}
