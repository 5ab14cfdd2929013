package io.tokenbroker.authflow;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes authorization attempts a day after they expired. They are only kept that long so that clients can poll an
 * attempt's outcome; the state they carried stopped working at expiry.
 */
@Component
class AttemptPurger {

	private static final Logger log = LoggerFactory.getLogger(AttemptPurger.class);

	private static final Duration RETENTION = Duration.ofDays(1);

	private final AuthorizationService authorizations;

	AttemptPurger(AuthorizationService authorizations) {
		this.authorizations = authorizations;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
	void purge() {
		int deleted = this.authorizations.purge(RETENTION);
		if (deleted > 0) {
			log.info("Purged {} expired authorization attempts", deleted);
		}
	}

}
