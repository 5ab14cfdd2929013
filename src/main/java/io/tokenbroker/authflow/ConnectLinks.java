package io.tokenbroker.authflow;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import io.tokenbroker.authflow.AuthorizationAttempt.Outcome;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.connector.Ids;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * An end user's connect link ({@code /connect/{ticket}}): the first browser to open it is bound to the attempt with a
 * cookie and shown what is being connected for whom; only that browser, with the page's single-use confirmation token,
 * can go on to the provider, and only that browser can complete the callback. Any other opening changes nothing.
 */
@Component
class ConnectLinks {

	/** The values of the page's Continue and Cancel buttons (templates/pages/connect.html). */
	private static final String ALLOW = "allow";

	private static final String CANCEL = "cancel";

	private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9_-]{20,100}");

	private final AttemptStore attempts;

	private final ConnectorService connectors;

	private final ProviderCatalog catalog;

	private final AuthorizationRequests requests;

	private final BrowserBinding binding;

	private final ConnectPage page;

	private final AttemptAudit audit;

	private final Clock clock;

	ConnectLinks(AttemptStore attempts, ConnectorService connectors, ProviderCatalog catalog,
			AuthorizationRequests requests, BrowserBinding binding, ConnectPage page, AttemptAudit audit,
			Clock clock) {
		this.attempts = attempts;
		this.connectors = connectors;
		this.catalog = catalog;
		this.requests = requests;
		this.binding = binding;
		this.page = page;
		this.audit = audit;
		this.clock = clock;
	}

	ResponseEntity<String> open(String ticket, HttpServletRequest browser) {
		Link link = find(ticket).orElse(null);
		if (link == null) {
			return this.page.refused(HttpStatus.NOT_FOUND, "This link is not valid", "The link is unknown.");
		}
		if (!usable(link.attempt())) {
			return this.page.unusable(link.attempt());
		}
		String confirmation = Ids.randomToken(32);
		if (link.attempt().openedAt() != null) {
			if (!this.binding.matches(browser, link.attempt())) {
				return this.page.openedElsewhere();
			}
			this.attempts.renewConfirmation(link.attempt().id(), Pkce.sha256Hex(confirmation));
			return this.page.confirm(link.attempt(), link.provider(), link.providerOrigin(), ticket, confirmation, null);
		}
		BrowserBinding.Issued issued = this.binding.issue(link.attempt().id());
		if (!this.attempts.open(link.attempt().id(), issued.hash(), Pkce.sha256Hex(confirmation), now())) {
			return this.page.openedElsewhere();
		}
		return this.page.confirm(link.attempt(), link.provider(), link.providerOrigin(), ticket, confirmation,
				issued.cookie());
	}

	/**
	 * The page's form: {@code decision} is what its Continue ({@code allow}) or Cancel ({@code cancel}) button sends.
	 * Any other value is refused before anything is looked at, so that only the person's explicit choice goes on to the
	 * provider; the page still works afterwards.
	 */
	ResponseEntity<String> decide(String ticket, String confirmation, String decision, HttpServletRequest browser) {
		if (!ALLOW.equals(decision) && !CANCEL.equals(decision)) {
			return this.page.choiceNotUnderstood();
		}
		boolean allow = ALLOW.equals(decision);
		Link link = find(ticket).orElse(null);
		if (link == null) {
			return this.page.refused(HttpStatus.NOT_FOUND, "This link is not valid", "The link is unknown.");
		}
		AuthorizationAttempt attempt = link.attempt();
		if (!this.binding.matches(browser, attempt)) {
			return this.page.openedElsewhere();
		}
		if (!usable(attempt) || confirmation == null || confirmation.length() > 100) {
			return this.page.unusable(attempt);
		}
		String confirmationHash = Pkce.sha256Hex(confirmation);
		if (!allow) {
			if (!this.attempts.decline(attempt.id(), confirmationHash, now())) {
				return this.page.unusable(attempt);
			}
			this.audit.failed(attempt, link.provider().type(), "access_denied");
			return this.page.declined(attempt, link.provider(), this.binding.clear(attempt.id()));
		}
		AuthorizationRequests.Request request = this.requests.newRequest(link.provider(), link.connector(),
				attempt.id());
		if (!this.attempts.confirm(attempt.id(), confirmationHash, request.stateHash(), request.verifierCipher(),
				now())) {
			return this.page.unusable(attempt);
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER)
			.headers(PagePolicy.headers("'none'"))
			.header(HttpHeaders.LOCATION, request.url().toString())
			.build();
	}

	private Optional<Link> find(String ticket) {
		if (ticket == null || !TICKET.matcher(ticket).matches()) {
			return Optional.empty();
		}
		return this.attempts.findByTicketHash(Pkce.sha256Hex(ticket)).flatMap((attempt) -> this.connectors
			.findById(attempt.appId(), attempt.connectorId())
			.flatMap((connector) -> this.catalog.find(connector.getIntegrationType())
				.filter(Provider::configured)
				.map((provider) -> new Link(attempt, connector, provider,
						this.requests.providerOrigin(provider, connector)))));
	}

	private boolean usable(AuthorizationAttempt attempt) {
		return attempt.outcome() == Outcome.PENDING && attempt.consumedAt() == null
				&& attempt.expiresAt().isAfter(now());
	}

	private Instant now() {
		return Instant.now(this.clock);
	}

	private record Link(AuthorizationAttempt attempt, Connector connector, Provider provider, String providerOrigin) {
	}

}
