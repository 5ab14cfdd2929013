package io.tokenbroker.compat;

import java.util.Map;
import java.util.Set;

import io.tokenbroker.problem.ErrorCodes;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Problems on the Base44 routes also carry {@code message} (the SDK and the CLI show it; both read {@code detail} as a
 * string and the SDK reads {@code code}), and connector failures name their code in {@code X-Base44-Connector-Error}.
 * The document stays an RFC 9457 problem; native routes are left as they are.
 */
@RestControllerAdvice
class Base44ErrorShape implements ResponseBodyAdvice<Object> {

	static final String CONNECTOR_ERROR_HEADER = "X-Base44-Connector-Error";

	private static final Set<String> CONNECTOR_FAILURES = Set.of(ErrorCodes.UNKNOWN_INTEGRATION,
			ErrorCodes.CONNECTOR_NOT_FOUND, ErrorCodes.NOT_CONNECTED, ErrorCodes.REAUTHORIZATION_REQUIRED,
			ErrorCodes.PROVIDER_NOT_CONFIGURED, ErrorCodes.PROVIDER_UNAVAILABLE, ErrorCodes.PROVIDER_ERROR,
			ErrorCodes.INVALID_CONNECTION_CONFIG, ErrorCodes.PROVIDER_RESPONSE_TOO_LARGE,
			ErrorCodes.STRIPE_KEY_REQUIRED);

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (!(body instanceof ProblemDetail problem) || !isBase44(request.getURI().getRawPath())) {
			return body;
		}
		String detail = (problem.getDetail() != null) ? problem.getDetail() : problem.getTitle();
		problem.setDetail(detail);
		problem.setProperty("message", detail);
		Map<String, Object> properties = problem.getProperties();
		Object code = (properties != null) ? properties.get("code") : null;
		if (code instanceof String c && CONNECTOR_FAILURES.contains(c)) {
			response.getHeaders().set(CONNECTOR_ERROR_HEADER, c);
		}
		return problem;
	}

	static boolean isBase44(String path) {
		return path != null && (path.startsWith("/api/") || path.equals("/oauth/device/code")
				|| path.equals("/oauth/token"));
	}

}
