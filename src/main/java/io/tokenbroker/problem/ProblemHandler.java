package io.tokenbroker.problem;

import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * One error vocabulary for the whole API: every failure becomes an RFC 9457 problem with a stable {@code code}. Details
 * are written here, never copied from exception messages that might quote the request body.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@ExceptionHandler(BrokerException.class)
	ResponseEntity<ProblemDetail> handleBroker(BrokerException ex) {
		ProblemDetail problem = Problems.of(ex.status(), ex.code(), ex.getMessage());
		ex.properties().forEach(problem::setProperty);
		HttpHeaders headers = new HttpHeaders();
		if (ex.retryAfter() != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfter().toSeconds())));
		}
		return ResponseEntity.status(ex.status()).headers(headers).body(problem);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
					"Parameter '" + ex.getName() + "' has an invalid value."));
	}

	/** A multipart body the servlet stack failed to parse (the broker takes no multipart input anywhere). */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> handleMultipart(MultipartException ex) {
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
					"The request body is not a well-formed multipart body; the broker takes JSON."));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		InvalidParameterException parameters = cause(ex, InvalidParameterException.class);
		if (parameters != null && parameters.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()) {
			// A chunked form body over server.tomcat.max-http-form-post-size (the body limit).
			return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
				.body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
						"The request body is larger than the broker accepts."));
		}
		if (parameters != null) {
			// Tomcat parses parameters lazily and throws for a query or form that is not valid percent-encoded UTF-8.
			return ResponseEntity.badRequest()
				.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
						"The query string or form body is not valid percent-encoded UTF-8."));
		}
		if (Unavailability.isOutage(ex)) {
			log.warn("Database unavailable: {}", ex.getClass().getSimpleName());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, "5")
				.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
						"The broker's database is unavailable right now. Retry later."));
		}
		log.error("Unhandled error", ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
					"The broker failed to handle this request. The failure has been logged."));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (cause(ex, PayloadTooLargeException.class) != null) {
			return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
				.body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.PAYLOAD_TOO_LARGE,
						"The request body is larger than the broker accepts."));
		}
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, describe(ex)));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex.getContentType() == null) {
			// Spring's own detail would read "Content-Type 'null' is not supported".
			ex.getBody().setDetail("A Content-Type header is required: "
					+ MediaType.toString(ex.getSupportedMediaTypes()) + ".");
		}
		return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		// Spring's own detail would read "No static resource …": the broker serves no static files but its stylesheet.
		ex.getBody().setDetail("The broker serves nothing at this path.");
		return super.handleNoResourceFoundException(ex, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, "The request has invalid values."));
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem
				&& problem.getProperties() == null) {
			problem.setProperty("code", codeFor(statusCode));
		}
		return response;
	}

	private static String codeFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 404 -> ErrorCodes.NOT_FOUND;
			case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
			case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
			default -> status.is4xxClientError() ? ErrorCodes.INVALID_REQUEST : ErrorCodes.INTERNAL_ERROR;
		};
	}

	private static String describe(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
			String path = jackson.getPath()
				.stream()
				.map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
				.collect(Collectors.joining("."));
			return "Field '" + path + "' is missing or has the wrong type.";
		}
		if (cause == null) {
			return "The request body is missing or empty.";
		}
		return "The request body is not valid JSON.";
	}

	private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

}
