package io.tokenbroker.problem;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.util.HtmlUtils;

/** Builds problem documents, and writes them where no MVC handler runs (security filters, body limits). */
public final class Problems {

	private static final URI TYPE_BASE = URI.create("https://tokenbroker.io/problems/");

	private Problems() {
	}

	public static ProblemDetail of(HttpStatus status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(TYPE_BASE.resolve(code.replace('_', '-')));
		problem.setProperty("code", code);
		return problem;
	}

	/** Writes a problem without Jackson: used from filters, where a failure must not become a 500. */
	public static void write(HttpServletResponse response, HttpStatus status, String code, String detail)
			throws IOException {
		write(response, status, code, detail, false);
	}

	/**
	 * Like {@link #write(HttpServletResponse, HttpStatus, String, String)}; {@code withMessage} adds a {@code message}
	 * member equal to the detail, which the Base44 clients show.
	 */
	public static void write(HttpServletResponse response, HttpStatus status, String code, String detail,
			boolean withMessage) throws IOException {
		Map<String, Object> members = new LinkedHashMap<>();
		if (withMessage) {
			members.put("message", detail);
		}
		members.put("type", TYPE_BASE.resolve(code.replace('_', '-')).toString());
		members.put("title", status.getReasonPhrase());
		members.put("status", status.value());
		members.put("detail", detail);
		members.put("code", code);
		StringBuilder json = new StringBuilder("{");
		members.forEach((name, value) -> {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append('"').append(name).append("\":");
			json.append(value instanceof Number ? value.toString() : quote(value.toString()));
		});
		json.append('}');
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(json.toString());
	}

	static String quote(String value) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/** The stable code a failure that is not a {@link BrokerException} is answered with. */
	public static String codeOf(Throwable ex) {
		return Unavailability.isOutage(ex) ? ErrorCodes.SERVICE_UNAVAILABLE : ErrorCodes.INTERNAL_ERROR;
	}

	/** Escapes text for HTML pages that show provider-supplied strings. */
	public static String html(String text) {
		return HtmlUtils.htmlEscape(text == null ? "" : text);
	}

}
