package io.tokenbroker.authflow;

import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.problem.Problems;
import io.tokenbroker.security.PublicRoute;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /oauth/callback}, where providers send the browser back. A person gets a page that says what happened,
 * with a button back to the allow-listed return URL (a page rather than a redirect, so that a failure is explained
 * where it happened); a non-browser client gets a problem document for a bad link. An end user's outcome goes straight
 * back to the app's page when it has an allowed return URL.
 */
@RestController
class CallbackController {

	private final AuthorizationService authorizations;

	private final CallbackPage page;

	CallbackController(AuthorizationService authorizations, CallbackPage page) {
		this.authorizations = authorizations;
		this.page = page;
	}

	@PublicRoute
	@GetMapping("/oauth/callback")
	ResponseEntity<?> callback(@RequestParam(required = false) String state,
			@RequestParam(required = false) String code, @RequestParam(required = false) String error,
			@RequestParam(name = "error_description", required = false) String errorDescription,
			@RequestParam(name = "iss", required = false) String issuer,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept, HttpServletRequest request) {
		CallbackResult result = this.authorizations.complete(state, code, error, errorDescription, issuer, request);
		if (result.kind().badLink() && !wantsHtml(accept)) {
			return ResponseEntity.badRequest()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, result.errorDescription()));
		}
		return this.page.render(result);
	}

	private static boolean wantsHtml(String accept) {
		return accept == null || accept.contains("text/html") || accept.contains("*/*");
	}

}
