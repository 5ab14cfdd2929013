package io.tokenbroker.authflow;

import java.net.URI;

/** A started authorization: where to send the browser, and the attempt's id for polling its outcome. */
public record AuthorizationStart(String attemptId, String connectionId, URI redirectUrl) {
}
