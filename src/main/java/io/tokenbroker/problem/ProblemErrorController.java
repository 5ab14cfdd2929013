package io.tokenbroker.problem;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container forwards to {@code /error} (a {@code sendError} below the MVC handlers, such as a request
 * body that breaks the chunked encoding) is answered as a problem too, in place of Spring Boot's default error body.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("/error")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		if (status == null || !status.isError()) {
			status = HttpStatus.BAD_REQUEST;
		}
		if (status == HttpStatus.NOT_IMPLEMENTED) {
			// The servlet's answer to a method it does not know: the client's request is at fault.
			status = HttpStatus.METHOD_NOT_ALLOWED;
		}
		String problemCode = switch (status.value()) {
			case 404 -> ErrorCodes.NOT_FOUND;
			case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
			case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
			default -> status.is4xxClientError() ? ErrorCodes.INVALID_REQUEST : ErrorCodes.INTERNAL_ERROR;
		};
		String detail = (status == HttpStatus.CONTENT_TOO_LARGE) ? "The request body is larger than the broker accepts."
				: status.is4xxClientError() ? "The request is malformed and was refused." : "The broker failed.";
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.of(status, problemCode, detail));
	}

}
