package io.tokenbroker.authflow;

import static io.tokenbroker.problem.Problems.html;

/** The small page a person sees after the provider sends them back. Never shows a token or code. */
final class CallbackPage {

	private CallbackPage() {
	}

	static String render(CallbackResult result) {
		String service = (result.displayName() != null) ? result.displayName() : "the service";
		String title;
		String body;
		switch (result.kind()) {
			case CONNECTED -> {
				title = "Connected to " + service;
				String account = (result.accountEmail() != null)
						? "<p>Account: <strong>" + html(result.accountEmail()) + "</strong></p>" : "";
				body = "<p>Your " + html(service) + " account is now connected.</p>" + account
						+ "<p>You can close this window and return to the app.</p>";
			}
			case FAILED -> {
				title = service + " was not connected";
				body = "<p>" + html(service) + " did not grant access"
						+ ((result.error() != null) ? " (<code>" + html(result.error()) + "</code>" : "")
						+ ((result.errorDescription() != null) ? ": " + html(result.errorDescription()) : "")
						+ ((result.error() != null) ? ")" : "") + ".</p>"
						+ "<p>Return to the app and start the connection again. If it keeps failing, ask the app's "
						+ "administrator to check the integration's settings.</p>";
			}
			default -> {
				title = "This link no longer works";
				body = "<p>" + html(result.errorDescription()) + "</p>"
						+ "<p>Authorization links work once and expire after a few minutes. Return to the app and "
						+ "start the connection again.</p>";
			}
		}
		return """
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<title>%s</title>
				<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
				h1{font-size:1.4rem}</style></head>
				<body><main><h1>%s</h1>%s</main></body></html>
				""".formatted(html(title), html(title), body);
	}

}
