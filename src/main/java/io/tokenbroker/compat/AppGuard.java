package io.tokenbroker.compat;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The Base44 clients name the app in the path (and the SDK again in {@code X-App-Id}); the credential names it too.
 * Another app's id in the path is answered as if that app did not exist.
 */
final class AppGuard {

	static final String APP_ID_HEADER = "X-App-Id";

	private AppGuard() {
	}

	static void check(String pathAppId, String credentialAppId) {
		if (!pathAppId.equals(credentialAppId)) {
			throw BrokerException.notFound(ErrorCodes.NOT_FOUND,
					"No such app for this credential: the app id in the path must be the credential's app.");
		}
		String header = header();
		if (header != null && !header.equals(pathAppId)) {
			throw BrokerException.badRequest("The X-App-Id header names another app than the path.");
		}
	}

	private static String header() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet)
				? servlet.getRequest().getHeader(APP_ID_HEADER) : null;
	}

}
