package io.tokenbroker.limits;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A body-size limit of its own for the routes a module owns, replacing {@code broker.http.max-body-size} there (the
 * proxy carries provider payloads, far larger than any other request).
 */
public interface RouteBodyLimit {

	/** The largest body in bytes this request may have, or a negative number when the route is not this module's. */
	long maxBodyBytes(HttpServletRequest request);

}
