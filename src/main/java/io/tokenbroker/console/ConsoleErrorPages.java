package io.tokenbroker.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokenbroker.authflow.HtmlPages;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;

/** The console's 403 pages: a stale or forged form (CSRF), or a signed-in operator without the right. */
@Component
class ConsoleErrorPages implements AccessDeniedHandler {

	private final HtmlPages pages;

	ConsoleErrorPages(HtmlPages pages) {
		this.pages = pages;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		boolean csrf = denied instanceof CsrfException;
		String heading = csrf ? "This form has expired" : "Not allowed";
		String[] lines = csrf
				? new String[] { "The action was not carried out: the form was not sent from a current console page, "
						+ "or your session ended.", "Open the console again and repeat the action." }
				: new String[] { "Your sign-in does not allow this." };
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType("text/html;charset=UTF-8");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write(this.pages.html("pages/message", Map.of("brand", "Token Broker console", "heading", heading,
					"lines", lines)));
	}

}
