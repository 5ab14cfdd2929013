package io.tokenbroker.authflow;

import io.tokenbroker.security.PublicRoute;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /connect/{ticket}}: the page an end user's connect link opens, and its confirmation form. Public (the person
 * carries no token here); the link, the browser's cookie and the form's single-use token are what authorize.
 */
@RestController
class ConnectController {

	private final ConnectLinks links;

	ConnectController(ConnectLinks links) {
		this.links = links;
	}

	@PublicRoute
	@GetMapping("/connect/{ticket}")
	ResponseEntity<String> open(@PathVariable String ticket, HttpServletRequest request) {
		return this.links.open(ticket, request);
	}

	@PublicRoute
	@PostMapping(path = "/connect/{ticket}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> decide(@PathVariable String ticket,
			@RequestParam(name = "confirmation", required = false) String confirmation,
			@RequestParam(name = "decision", required = false) String decision, HttpServletRequest request) {
		return this.links.decide(ticket, confirmation, decision, request);
	}

}
