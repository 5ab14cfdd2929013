package io.tokenbroker.authflow;

import java.util.HashMap;
import java.util.Map;

import io.tokenbroker.authflow.CallbackResult.Kind;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The page a person sees after the provider sends them back: which service, which account, what happened in plain
 * words, what to do next, and a button back to the app's allow-listed return URL. Never shows a token, code or state.
 */
@Component
class CallbackPage {

	private final HtmlPages pages;

	private final AuthFlowProperties properties;

	private final BrowserBinding binding;

	CallbackPage(HtmlPages pages, AuthFlowProperties properties, BrowserBinding binding) {
		this.pages = pages;
		this.properties = properties;
		this.binding = binding;
	}

	ResponseEntity<String> render(CallbackResult result) {
		ResponseEntity<String> answer = page(result);
		if (!result.endUser() || result.attemptId() == null) {
			return answer;
		}
		// The attempt is over: its binding cookie goes, whatever happened.
		boolean back = result.returnUrl() != null && !result.kind().badLink();
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(back ? HttpStatus.SEE_OTHER : answer.getStatusCode())
			.headers(answer.getHeaders())
			.header(HttpHeaders.SET_COOKIE, this.binding.clear(result.attemptId()).toString());
		return back ? builder.header(HttpHeaders.LOCATION, returnLocation(result)).build()
				: builder.body(answer.getBody());
	}

	private ResponseEntity<String> page(CallbackResult result) {
		String service = (result.displayName() != null) ? result.displayName() : null;
		String named = (service != null) ? service : "the service";
		Map<String, Object> model = new HashMap<>();
		model.put("service", service);
		model.put("account", (result.kind() == Kind.CONNECTED) ? result.accountEmail() : null);
		model.put("details", null);
		model.put("errorCode", null);
		switch (result.kind()) {
			case CONNECTED -> {
				model.put("outcome", "connected");
				model.put("symbol", "✓");
				model.put("statusLabel", "Connected");
				model.put("heading", "Connected to " + named);
				model.put("lead", (result.accountEmail() != null)
						? "Your " + named + " account " + result.accountEmail() + " is now connected."
						: "Your " + named + " account is now connected.");
				model.put("next", (result.returnUrl() != null) ? "Return to the app to continue."
						: "You can close this window and go back to the app.");
			}
			case FAILED -> {
				model.put("outcome", "failed");
				model.put("symbol", "✕");
				model.put("statusLabel", "Not connected");
				model.put("heading", capitalize(named) + " was not connected");
				model.put("lead", explainFailure(result.error(), named));
				model.put("details", result.errorDescription());
				model.put("detailsLabel", "Message from " + named);
				model.put("errorCode", result.error());
				model.put("next", "Go back to the app and connect again. If it keeps failing, ask the app's "
						+ "administrator to check the " + named + " integration.");
			}
			case EXPIRED_LINK -> {
				model.put("outcome", "expired");
				model.put("symbol", "↻");
				model.put("statusLabel", "Link expired");
				model.put("heading", "This link has expired");
				model.put("lead", "For your security, a connection link works only once and only for a few minutes. "
						+ "Your " + named + " account was not connected.");
				model.put("next", "Go back to the app and start connecting again.");
			}
			default -> {
				model.put("outcome", "invalid");
				model.put("symbol", "!");
				model.put("statusLabel", "Link not valid");
				model.put("heading", "This link no longer works");
				model.put("lead", result.errorDescription() + " Nothing was changed.");
				model.put("next", "Go back to the app and start connecting again.");
			}
		}
		model.put("returnUrl", (result.returnUrl() != null) ? returnLocation(result) : null);
		model.put("returnLabel", returnsToConsole(result.returnUrl()) ? "Back to the operator console"
				: "Return to the app");
		HttpStatus status = result.kind().badLink() ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
		return this.pages.render(status, "pages/callback", model, "'none'");
	}

	/** The return URL with the outcome, for the app to show its own message: never a token, code or state. */
	static String returnLocation(CallbackResult result) {
		UriComponentsBuilder url = UriComponentsBuilder.fromUriString(result.returnUrl())
			.replaceQueryParam("status", status(result))
			.replaceQueryParam("error");
		if (result.integrationType() != null) {
			url.replaceQueryParam("integration_type", result.integrationType());
		}
		if (result.connectorId() != null) {
			url.replaceQueryParam("connector_id", result.connectorId());
		}
		if (result.kind() != Kind.CONNECTED && result.error() != null) {
			url.replaceQueryParam("error", result.error());
		}
		return url.encode().build().toUriString();
	}

	/** An end user's app tells a refusal from a failure ({@code denied}); other callers know {@code failed} only. */
	private static String status(CallbackResult result) {
		if (result.kind() == Kind.CONNECTED) {
			return "connected";
		}
		return (result.endUser() && "access_denied".equals(result.error())) ? "denied" : "failed";
	}

	private boolean returnsToConsole(String returnUrl) {
		return returnUrl != null && returnUrl.startsWith(this.properties.consoleUrl().toString());
	}

	private static String explainFailure(String error, String service) {
		if (error == null) {
			return capitalize(service) + " did not give access, so nothing was connected.";
		}
		return switch (error) {
			case "access_denied" -> "Access was not granted, so nothing was connected. This happens when Deny or "
					+ "Cancel is chosen on " + service + "'s page.";
			case "invalid_scope" -> capitalize(service)
					+ " did not accept the permissions the app asked for, so nothing was connected.";
			case "server_error", "temporarily_unavailable" -> capitalize(service)
					+ " had a temporary problem, so nothing was connected. Try again in a few minutes.";
			default -> capitalize(service) + " reported a problem, so nothing was connected.";
		};
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
