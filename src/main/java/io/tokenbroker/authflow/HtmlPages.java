package io.tokenbroker.authflow;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Renders the pages people meet outside the console (the callback's outcome, the dev sandbox's consent) from
 * Thymeleaf templates, which escape every value, with {@link PagePolicy}'s headers.
 */
@Component
public class HtmlPages {

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private final ITemplateEngine templates;

	private final AuthFlowProperties properties;

	HtmlPages(ITemplateEngine templates, AuthFlowProperties properties) {
		this.templates = templates;
		this.properties = properties;
	}

	public ResponseEntity<String> render(HttpStatus status, String template, Map<String, ?> model,
			String formAction) {
		return ResponseEntity.status(status)
			.headers(PagePolicy.headers(formAction))
			.contentType(HTML)
			.body(html(template, model));
	}

	/** The page's HTML alone, for callers that write the response themselves (security filters). */
	public String html(String template, Map<String, ?> model) {
		Map<String, Object> variables = new HashMap<>(model);
		variables.put("stylesheet", stylesheet());
		return this.templates.process(template, new Context(Locale.ENGLISH, variables));
	}

	/** A page with a heading and a few sentences. */
	public ResponseEntity<String> message(HttpStatus status, String brand, String heading, String... lines) {
		return render(status, "pages/message", Map.of("brand", brand, "heading", heading, "lines", lines), "'none'");
	}

	public String stylesheet() {
		return this.properties.basePath() + PagePolicy.STYLESHEET_PATH;
	}

}
