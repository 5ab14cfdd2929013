package io.tokenbroker.connection;

import java.util.Locale;

/**
 * Who asked for a refresh: a read that found the token (nearly) expired, a caller whose token the provider rejected,
 * or the background refresher.
 */
enum RefreshTrigger {

	ON_DEMAND, REJECTED, SCHEDULED;

	/** The value of the metrics tag {@code trigger}. */
	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
