package io.tokenbroker.problem;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatus;

/**
 * Errors that Tomcat answers itself, before any filter runs (a malformed request line, an encoded slash, an oversize
 * header), as problems instead of Tomcat's HTML page with its version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		if (status == HttpStatus.NOT_IMPLEMENTED.value()) {
			// Tomcat's answer to a method it does not implement (CONNECT): the client's request is at fault.
			status = HttpStatus.METHOD_NOT_ALLOWED.value();
		}
		HttpStatus httpStatus = HttpStatus.resolve(status);
		if (httpStatus == null) {
			httpStatus = HttpStatus.BAD_REQUEST;
		}
		String code = switch (status) {
			case 404 -> ErrorCodes.NOT_FOUND;
			case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
			default -> (status < 500) ? ErrorCodes.INVALID_REQUEST : ErrorCodes.INTERNAL_ERROR;
		};
		String detail = (status < 500) ? "The request is malformed and was refused." : "The broker failed.";
		try {
			response.resetBuffer();
			Problems.write(response.getResponse(), httpStatus, code, detail);
			response.finishResponse();
		}
		catch (IOException | IllegalStateException ex) {
			// The connection is gone; nothing more to say.
		}
	}

}
