package io.tokenbroker.problem;

import java.io.IOException;

/** Thrown by the body-size limit while a request body is being read. */
public class PayloadTooLargeException extends IOException {

	public PayloadTooLargeException() {
		super("Request body too large");
	}

}
