package io.tokenbroker.connection;

import java.util.Locale;

/** Who asked for a refresh: a read that found the token (nearly) expired, or the background refresher. */
enum RefreshTrigger {

	ON_DEMAND, SCHEDULED;

	/** The value of the metrics tag {@code trigger}. */
	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
