package io.tokenbroker.authflow;

import java.net.URI;

import io.tokenbroker.authflow.CallbackResult.Kind;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code GET /oauth/callback}, where providers send the browser back. A person gets a short page (or a redirect to the
 * allow-listed return URL); a non-browser client gets a problem document for a bad link.
 */
@RestController
class CallbackController {

	private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
			+ "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

	private final AuthorizationService authorizations;

	CallbackController(AuthorizationService authorizations) {
		this.authorizations = authorizations;
	}

	@GetMapping("/oauth/callback")
	ResponseEntity<?> callback(@RequestParam(required = false) String state,
			@RequestParam(required = false) String code, @RequestParam(required = false) String error,
			@RequestParam(name = "error_description", required = false) String errorDescription,
			@RequestParam(name = "iss", required = false) String issuer,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		CallbackResult result = this.authorizations.complete(state, code, error, errorDescription, issuer);
		if (result.returnUrl() != null) {
			return ResponseEntity.status(HttpStatus.SEE_OTHER).location(returnLocation(result)).headers(pageHeaders()).build();
		}
		// A refusal by the provider is a normal outcome for the person in the browser: the page says what happened.
		HttpStatus status = (result.kind() == Kind.INVALID_LINK) ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
		if (result.kind() == Kind.INVALID_LINK && !wantsHtml(accept)) {
			return ResponseEntity.badRequest()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, result.errorDescription()));
		}
		return ResponseEntity.status(status)
			.headers(pageHeaders())
			.contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
			.body(CallbackPage.render(result));
	}

	private static URI returnLocation(CallbackResult result) {
		UriComponentsBuilder url = UriComponentsBuilder.fromUriString(result.returnUrl())
			.queryParam("status", (result.kind() == Kind.CONNECTED) ? "connected" : "failed");
		if (result.integrationType() != null) {
			url.queryParam("integration_type", result.integrationType());
		}
		if (result.connectorId() != null) {
			url.queryParam("connector_id", result.connectorId());
		}
		if (result.kind() != Kind.CONNECTED && result.error() != null) {
			url.queryParam("error", result.error());
		}
		return url.encode().build().toUri();
	}

	private static HttpHeaders pageHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.set("Content-Security-Policy", CSP);
		headers.set("Referrer-Policy", "no-referrer");
		headers.set("X-Content-Type-Options", "nosniff");
		headers.setCacheControl(CacheControl.noStore());
		return headers;
	}

	private static boolean wantsHtml(String accept) {
		return accept == null || accept.contains("text/html") || accept.contains("*/*");
	}

}
