package io.tokenbroker.dev;

import static io.tokenbroker.problem.Problems.html;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.authflow.AuthFlowProperties;

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

	SandboxProviderController(SandboxAuthorizationServer server, AuthFlowProperties flow) {
		this.server = server;
		this.flow = flow;
	}

	@GetMapping(path = "/dev/sandbox/authorize", produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<String> consentPage(@RequestParam(name = "client_id", required = false) String clientId,
			@RequestParam(name = "redirect_uri", required = false) String redirectUri,
			@RequestParam(required = false) String state, @RequestParam(required = false) String scope,
			@RequestParam(name = "code_challenge", required = false) String codeChallenge) {
		if (!CLIENT_ID.equals(clientId) || !this.flow.callbackUri().toString().equals(redirectUri)) {
			return ResponseEntity.badRequest().body(page("Unknown client",
					"<p>This sandbox only serves the broker's own <code>sandbox</code> connector.</p>"));
		}
		StringBuilder scopes = new StringBuilder();
		for (String s : (scope != null ? scope : "").split(" ")) {
			if (!s.isBlank()) {
				scopes.append("<li>").append(html(s)).append("</li>");
			}
		}
		String form = """
				<p><strong>Token Broker (dev)</strong> wants to access your Sandbox account.</p>
				<form method="post" action="/dev/sandbox/authorize">
				<fieldset><legend>Choose an account</legend>
				<label><input type="radio" name="account" value="alice@sandbox.test" checked> alice@sandbox.test</label><br>
				<label><input type="radio" name="account" value="bob@sandbox.test"> bob@sandbox.test</label>
				</fieldset>
				<p>It will be able to:</p><ul>%s</ul>
				<input type="hidden" name="redirect_uri" value="%s">
				<input type="hidden" name="state" value="%s">
				<input type="hidden" name="scope" value="%s">
				<input type="hidden" name="code_challenge" value="%s">
				<button type="submit" name="decision" value="approve">Approve</button>
				<button type="submit" name="decision" value="deny">Deny</button>
				</form>
				""".formatted(scopes, html(redirectUri), html(state), html(scope), html(codeChallenge));
		return ResponseEntity.ok().header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
			.body(page("Sign in to Sandbox", form));
	}

	@PostMapping("/dev/sandbox/authorize")
	ResponseEntity<Void> decide(@RequestParam String decision, @RequestParam(required = false) String account,
			@RequestParam(name = "redirect_uri") String redirectUri, @RequestParam(required = false) String state,
			@RequestParam(required = false) String scope,
			@RequestParam(name = "code_challenge", required = false) String codeChallenge) {
		if (!this.flow.callbackUri().toString().equals(redirectUri)) {
			return ResponseEntity.badRequest().build();
		}
		UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri).queryParam("state", state);
		if ("approve".equals(decision) && account != null) {
			back.queryParam("code", this.server.issueCode(account, scope, redirectUri,
					(codeChallenge == null || codeChallenge.isEmpty()) ? null : codeChallenge));
		}
		else {
			back.queryParam("error", "access_denied").queryParam("error_description", "The user denied access");
		}
		URI location = back.encode().build().toUri();
		return ResponseEntity.status(HttpStatus.FOUND).location(location).build();
	}

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

	@GetMapping("/dev/sandbox/userinfo")
	ResponseEntity<Map<String, Object>> userinfo(@RequestHeader(name = "Authorization", required = false) String auth) {
		String account = (auth != null && auth.startsWith("Bearer ")) ? this.server.accountOf(auth.substring(7)) : null;
		return (account == null) ? error(HttpStatus.UNAUTHORIZED, "invalid_token")
				: ResponseEntity.ok(Map.of("email", account, "sub", account));
	}

	@PostMapping(path = "/dev/sandbox/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<Void> revoke(@RequestParam Map<String, String> form) {
		this.server.revoke(form.get("token"));
		return ResponseEntity.ok().build();
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error) {
		return ResponseEntity.status(status).body(Map.of("error", error));
	}

	private static String page(String title, String body) {
		return """
				<!doctype html><html lang="en"><head><meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title>
				<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
				fieldset{border:1px solid #ccc;padding:.75rem}button{margin:.5rem .5rem 0 0;padding:.5rem 1rem}</style>
				</head><body><main><h1>%s</h1>%s</main></body></html>
				""".formatted(html(title), html(title), body);
	}

}
