package io.tokenbroker.proxy;

import com.fasterxml.jackson.annotation.JsonValue;

/** How far a proxied call got. Only {@link #NOT_SENT} proves the provider did not act on it. */
public enum ProxyPhase {

	/** Nothing reached the provider (no connection, refused, TLS failure, unknown host). */
	NOT_SENT("not_sent"),

	/** The provider answered; its status and body are in the result. */
	RESPONDED("responded"),

	/** The request went out and no complete answer came in time. */
	TIMED_OUT("timed_out"),

	/** The connection failed after the request (or part of it) was sent. */
	SENT_UNCONFIRMED("sent_unconfirmed");

	private final String wireName;

	ProxyPhase(String wireName) {
		this.wireName = wireName;
	}

	@JsonValue
	public String wireName() {
		return this.wireName;
	}

}
