package io.tokenbroker.authflow;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.tokenbroker.catalog.Provider;
import io.tokenbroker.connector.AppProfiles;
import io.tokenbroker.connector.AppProfiles.AppProfile;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The connect page an end user's link opens: what is connected, for which app and which of its users, and a form to
 * continue or cancel. No script; the form may lead only to the broker, the provider's page and the app's return URL.
 */
@Component
class ConnectPage {

	private static final String BRAND = "Token Broker";

	private final HtmlPages pages;

	private final AuthFlowProperties properties;

	private final AppProfiles apps;

	ConnectPage(HtmlPages pages, AuthFlowProperties properties, AppProfiles apps) {
		this.pages = pages;
		this.properties = properties;
		this.apps = apps;
	}

	ResponseEntity<String> confirm(AuthorizationAttempt attempt, Provider provider, String providerOrigin,
			String ticket, String confirmation, ResponseCookie cookie) {
		Map<String, Object> model = new HashMap<>();
		model.put("heading", "Connect your " + provider.displayName() + " account");
		AppProfile app = this.apps.get(attempt.appId());
		model.put("app", app.shownName());
		// With a name, the id is shown beside it: a name alone is easy to copy, the id is what the broker knows.
		model.put("appId", (app.displayName() != null) ? app.id() : null);
		model.put("service", provider.displayName());
		model.put("user", (attempt.appUserLabel() != null) ? attempt.appUserLabel() : attempt.appUserId());
		model.put("scopes", attempt.scopes());
		model.put("action", this.properties.basePath() + "/connect/" + ticket);
		model.put("confirmation", confirmation);
		String formAction = "'self' " + providerOrigin + returnOrigin(attempt.returnUrl());
		ResponseEntity<String> page = this.pages.render(HttpStatus.OK, "pages/connect", model, formAction);
		if (cookie == null) {
			return page;
		}
		return ResponseEntity.status(page.getStatusCode())
			.headers(page.getHeaders())
			.header(HttpHeaders.SET_COOKIE, cookie.toString())
			.body(page.getBody());
	}

	/** The person chose Cancel: back to the app with {@code status=denied}, or a page saying nothing was connected. */
	ResponseEntity<String> declined(AuthorizationAttempt attempt, Provider provider, ResponseCookie clear) {
		if (attempt.returnUrl() != null) {
			String location = UriComponentsBuilder.fromUriString(attempt.returnUrl())
				.replaceQueryParam("status", "denied")
				.replaceQueryParam("connector_id", attempt.connectorId())
				.encode()
				.build()
				.toUriString();
			return ResponseEntity.status(HttpStatus.SEE_OTHER)
				.headers(PagePolicy.headers("'none'"))
				.header(HttpHeaders.LOCATION, location)
				.header(HttpHeaders.SET_COOKIE, clear.toString())
				.build();
		}
		return this.pages.message(HttpStatus.OK, BRAND, provider.displayName() + " was not connected",
				"You chose not to connect. Nothing was changed.", "You can close this window and go back to the app.");
	}

	ResponseEntity<String> openedElsewhere() {
		return refused(HttpStatus.BAD_REQUEST, "This link was already opened",
				"A connection link works once, in the browser that opened it first. Nothing was changed.");
	}

	ResponseEntity<String> unusable(AuthorizationAttempt attempt) {
		return refused(HttpStatus.BAD_REQUEST, "This link no longer works",
				"A connection link works only once and only for a few minutes. Nothing was changed.");
	}

	/** The form came without the value of one of its buttons. */
	ResponseEntity<String> choiceNotUnderstood() {
		return this.pages.message(HttpStatus.BAD_REQUEST, BRAND, "This choice was not understood",
				"The form was sent without Continue or Cancel. Nothing was changed.",
				"Go back to the page and choose one of its buttons.");
	}

	ResponseEntity<String> refused(HttpStatus status, String heading, String why) {
		return this.pages.message(status, BRAND, heading, why, "Go back to the app and start connecting again.");
	}

	private static String returnOrigin(String returnUrl) {
		if (returnUrl == null) {
			return "";
		}
		URI url = URI.create(returnUrl);
		return " " + url.getScheme() + "://" + url.getRawAuthority();
	}

}
