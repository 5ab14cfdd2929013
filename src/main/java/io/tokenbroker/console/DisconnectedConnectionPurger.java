package io.tokenbroker.console;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.connection.Disconnector;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends the grace period of connections disconnected in the console: once {@code broker.console.restore-grace} has
 * passed, they are deleted and their grants revoked at the provider. Safe on every replica at once.
 */
@Component
class DisconnectedConnectionPurger {

	private static final Logger log = LoggerFactory.getLogger(DisconnectedConnectionPurger.class);

	private final Disconnector disconnector;

	private final ConsoleProperties properties;

	private final Clock clock;

	DisconnectedConnectionPurger(Disconnector disconnector, ConsoleProperties properties, Clock clock) {
		this.disconnector = disconnector;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT1H")
	void purge() {
		int purged = this.disconnector.purgeDisconnected(Instant.now(this.clock).minus(this.properties.restoreGrace()));
		if (purged > 0) {
			log.info("Deleted and revoked {} connections disconnected more than {} ago", purged,
					this.properties.restoreGrace());
		}
	}

}
