package io.tokenbroker.dev;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.authflow.AuthFlowProperties;
import io.tokenbroker.authflow.HtmlPages;
import io.tokenbroker.security.PublicRoute;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Dev mode only: a tiny OAuth provider inside the broker (consent page, token, userinfo, revocation) so the whole flow
 * runs on a laptop without an external account. Its client is the {@code sandbox} type in application-dev.yaml.
 */
@RestController
@Profile(BrokerModeEnvironmentPostProcessor.DEV)
class SandboxProviderController {

	private static final String CLIENT_ID = "sandbox-client";

	private final SandboxAuthorizationServer server;

	private final AuthFlowProperties flow;

	private final SandboxConsent consent;

	private final HtmlPages pages;

	SandboxProviderController(SandboxAuthorizationServer server, AuthFlowProperties flow, SandboxConsent consent,
			HtmlPages pages) {
		this.server = server;
		this.flow = flow;
		this.consent = consent;
		this.pages = pages;
	}

	@PublicRoute
	@GetMapping(path = "/dev/sandbox/authorize", produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<String> consentPage(@RequestParam(name = "client_id", required = false) String clientId,
			@RequestParam(name = "redirect_uri", required = false) String redirectUri,
			@RequestParam(required = false) String state, @RequestParam(required = false) String scope,
			@RequestParam(name = "code_challenge", required = false) String codeChallenge) {
		if (!CLIENT_ID.equals(clientId) || !this.flow.callbackUri().toString().equals(redirectUri)) {
			return unknownClient();
		}
		return this.consent.render(HttpStatus.OK, redirectUri, state, scope, codeChallenge, SandboxConsent.ALICE,
				null, null);
	}

	@PublicRoute
	@PostMapping("/dev/sandbox/authorize")
	ResponseEntity<String> decide(@RequestParam(required = false) String decision,
			@RequestParam(required = false) String account,
			@RequestParam(name = "other_account", required = false) String otherAccount,
			@RequestParam(name = "redirect_uri", required = false) String redirectUri,
			@RequestParam(required = false) String state, @RequestParam(required = false) String scope,
			@RequestParam(name = "code_challenge", required = false) String codeChallenge) {
		if (!this.flow.callbackUri().toString().equals(redirectUri)) {
			return unknownClient();
		}
		UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri).queryParam("state", state);
		if ("approve".equals(decision)) {
			String chosen = SandboxConsent.chosenAccount(account, otherAccount);
			if (chosen == null) {
				return this.consent.render(HttpStatus.BAD_REQUEST, redirectUri, state, scope, codeChallenge,
						account, otherAccount, "Choose an account, or enter the email address of another account.");
			}
			back.queryParam("code", this.server.issueCode(chosen, scope, redirectUri,
					(codeChallenge == null || codeChallenge.isEmpty()) ? null : codeChallenge));
		}
		else {
			back.queryParam("error", "access_denied").queryParam("error_description", "The user denied access");
		}
		URI location = back.encode().build().toUri();
		return ResponseEntity.status(HttpStatus.FOUND).location(location).build();
	}

	private ResponseEntity<String> unknownClient() {
		return this.pages.message(HttpStatus.BAD_REQUEST, "Sandbox", "Unknown client",
				"This sandbox only serves the broker's own sandbox connector, with the broker's callback URL.");
	}

	@PublicRoute
	@PostMapping(path = "/dev/sandbox/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<Map<String, Object>> token(@RequestParam Map<String, String> form) {
		if (!CLIENT_ID.equals(form.get("client_id"))
				|| !"sandbox-secret-for-development-only".equals(form.get("client_secret"))) {
			return error(HttpStatus.UNAUTHORIZED, "invalid_client");
		}
		SandboxAuthorizationServer.Tokens tokens = switch (String.valueOf(form.get("grant_type"))) {
			case "authorization_code" -> this.server.redeem(form.get("code"), form.get("redirect_uri"),
					form.get("code_verifier"));
			case "refresh_token" -> this.server.refresh(form.get("refresh_token"));
			default -> null;
		};
		if (tokens == null) {
			return error(HttpStatus.BAD_REQUEST, "invalid_grant");
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", tokens.accessToken());
		body.put("token_type", "Bearer");
		body.put("expires_in", tokens.expiresIn());
		body.put("refresh_token", tokens.refreshToken());
		body.put("scope", tokens.scope());
		body.put("account_email", tokens.account());
		return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(body);
	}

	@PublicRoute
	@GetMapping("/dev/sandbox/userinfo")
	ResponseEntity<Map<String, Object>> userinfo(@RequestHeader(name = "Authorization", required = false) String auth) {
		String account = (auth != null && auth.startsWith("Bearer ")) ? this.server.accountOf(auth.substring(7)) : null;
		return (account == null) ? error(HttpStatus.UNAUTHORIZED, "invalid_token")
				: ResponseEntity.ok(Map.of("email", account, "sub", account));
	}

	@PublicRoute
	@PostMapping(path = "/dev/sandbox/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<Void> revoke(@RequestParam Map<String, String> form) {
		this.server.revoke(form.get("token"));
		return ResponseEntity.ok().build();
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error) {
		return ResponseEntity.status(status).body(Map.of("error", error));
	}

}
