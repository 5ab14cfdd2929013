package io.tokenbroker.dev;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.tokenbroker.authflow.AuthFlowProperties;
import io.tokenbroker.authflow.HtmlPages;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The sandbox's consent page, built to look like a real provider's: an account chooser (two made-up accounts or
 * another address), the requested scopes in words, and Deny before Approve so that pressing Enter denies.
 */
@Component
@Profile(BrokerModeEnvironmentPostProcessor.DEV)
class SandboxConsent {

	static final String ALICE = "alice@sandbox.test";

	private static final List<Account> ACCOUNTS = List.of(new Account("Alice Example", ALICE),
			new Account("Bob Example", "bob@sandbox.test"));

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

	private static final Map<String, String> SCOPE_WORDS = Map.of("profile", "See your name and email address",
			"email", "See your email address", "openid", "Sign you in", "calendar.read", "View your calendars",
			"calendar.write", "Create and change events in your calendars");

	private final HtmlPages pages;

	private final AuthFlowProperties flow;

	SandboxConsent(HtmlPages pages, AuthFlowProperties flow) {
		this.pages = pages;
		this.flow = flow;
	}

	record Account(String name, String email) {

		public String initial() {
			return this.name.substring(0, 1);
		}

	}

	record Scope(String name, String description) {
	}

	ResponseEntity<String> render(HttpStatus status, String redirectUri, String state, String scope,
			String codeChallenge, String selected, String otherAccount, String error) {
		Map<String, Object> model = new HashMap<>();
		model.put("action", this.flow.basePath() + "/dev/sandbox/authorize");
		model.put("clientName", "Token Broker");
		model.put("clientHost", this.flow.callbackUri().getAuthority());
		model.put("accounts", ACCOUNTS);
		model.put("selected", selected);
		model.put("otherAccount", otherAccount);
		model.put("error", error);
		model.put("scopes", scopes(scope));
		model.put("redirectUri", redirectUri);
		model.put("state", state);
		model.put("scope", scope);
		model.put("codeChallenge", codeChallenge);
		// The form's answer goes to the broker's callback, which may send an end user's browser on to the app's own
		// page; browsers check that redirect against form-action too. Like a real provider's page, the sandbox's does
		// not know where that page is.
		return this.pages.render(status, "dev/sandbox-consent", model, "'self' http: https:");
	}

	/** The account the person chose, or null when "another account" was chosen without a usable address. */
	static String chosenAccount(String account, String otherAccount) {
		if ("other".equals(account)) {
			String other = (otherAccount != null) ? otherAccount.strip() : "";
			return (other.length() <= 254 && EMAIL.matcher(other).matches()) ? other : null;
		}
		return ACCOUNTS.stream().map(Account::email).filter((email) -> email.equals(account)).findFirst().orElse(null);
	}

	private static List<Scope> scopes(String scope) {
		List<Scope> scopes = new java.util.ArrayList<>();
		for (String s : (scope != null) ? scope.split(" ") : new String[0]) {
			if (!s.isBlank()) {
				scopes.add(new Scope(s, SCOPE_WORDS.getOrDefault(s, "Use the \u201c" + s + "\u201d permission")));
			}
		}
		if (scopes.isEmpty()) {
			scopes.add(new Scope("", "Know which account you chose"));
		}
		return scopes;
	}

}
