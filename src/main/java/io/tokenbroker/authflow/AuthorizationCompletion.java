package io.tokenbroker.authflow;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.tokenbroker.authflow.AuthorizationAttempt.Outcome;
import io.tokenbroker.authflow.CallbackResult.Kind;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.oauth.TokenResult;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The callback half of the flow: redeems the code exactly once, in the browser the attempt is bound to (an end user's
 * attempt), and stores nothing when anything is off.
 */
@Component
class AuthorizationCompletion {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationCompletion.class);

	private static final int MAX_STATE_LENGTH = 512;

	private final AttemptStore attempts;

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final ProviderCatalog catalog;

	private final AuthorizationRequests requests;

	private final TokenEndpoint tokenEndpoint;

	private final AuthFlowProperties properties;

	private final BrowserBinding binding;

	private final AttemptAudit audit;

	private final Clock clock;

	AuthorizationCompletion(AttemptStore attempts, ConnectorService connectors, ConnectionService connections,
			ProviderCatalog catalog, AuthorizationRequests requests, TokenEndpoint tokenEndpoint,
			AuthFlowProperties properties, BrowserBinding binding, AttemptAudit audit, Clock clock) {
		this.attempts = attempts;
		this.connectors = connectors;
		this.connections = connections;
		this.catalog = catalog;
		this.requests = requests;
		this.tokenEndpoint = tokenEndpoint;
		this.properties = properties;
		this.binding = binding;
		this.audit = audit;
		this.clock = clock;
	}

	CallbackResult complete(CallbackParameters callback, HttpServletRequest browser) {
		String state = callback.state();
		if (state == null || state.isEmpty() || state.length() > MAX_STATE_LENGTH) {
			return invalid("The link has no valid state.");
		}
		this.audit.requireAccepting();
		String stateHash = Pkce.sha256Hex(state);
		Instant now = Instant.now(this.clock);
		if (!this.attempts.consume(stateHash, now)) {
			Optional<AuthorizationAttempt> known = this.attempts.findByStateHash(stateHash);
			known.ifPresent((a) -> this.audit.failed(a, null,
					(a.consumedAt() != null) ? "state_reused" : "state_expired"));
			return known.map(this::unusable).orElseGet(() -> invalid("This authorization link is unknown."));
		}
		AuthorizationAttempt attempt = this.attempts.findByStateHash(stateHash).orElseThrow();
		if (attempt.endUser() && !this.binding.matches(browser, attempt)) {
			// Started in another browser: whoever consented here is not the person who started it (RFC 9700 §4.7).
			this.attempts.finish(attempt.id(), Outcome.FAILED, "other_browser");
			this.audit.failed(attempt, null, "other_browser");
			return new CallbackResult(Kind.INVALID_LINK, null, null, null, "other_browser",
					"This connection was started in another browser, so nothing was connected.", null, null,
					attempt.id(), true);
		}
		Optional<Connector> connector = this.connectors.findById(attempt.appId(), attempt.connectorId());
		if (connector.isEmpty()) {
			return invalid("The connector was deleted while the authorization was in progress.");
		}
		Provider provider = this.catalog.find(connector.get().getIntegrationType()).orElse(null);
		if (provider == null || !provider.configured()) {
			return invalid("The integration is no longer configured on this broker.");
		}
		String connectionId = this.connections.prepare(connector.get(), attempt.appUserId());
		if (callback.issuer() != null && provider.issuer() != null && !provider.issuer().equals(callback.issuer())) {
			// RFC 9207 §2.4: a response from another issuer than the one the request went to is a mix-up attack;
			// its code is never sent anywhere.
			log.warn("Authorization response for {} names an unexpected issuer; refused", provider.type());
			return fail(attempt, connectionId, provider, "invalid_issuer",
					"The authorization response came from an unexpected issuer.");
		}
		if (callback.error() != null) {
			ProviderErrors.log(provider.type(), callback.error(), callback.errorDescription());
			return fail(attempt, connectionId, provider, ProviderErrors.code(callback.error()), null);
		}
		if (callback.code() == null || callback.code().isEmpty()) {
			this.attempts.finish(attempt.id(), Outcome.FAILED, "missing_code");
			this.audit.failed(attempt, provider.type(), "missing_code");
			return new CallbackResult(Kind.INVALID_LINK, provider.type(), provider.displayName(), null,
					"missing_code", "The provider sent no authorization code.", attempt.returnUrl(),
					attempt.connectorId(), null, false).of(attempt);
		}
		return redeem(attempt, connector.get(), provider, connectionId, callback.code());
	}

	private CallbackResult redeem(AuthorizationAttempt attempt, Connector connector, Provider provider,
			String connectionId, String code) {
		try {
			TokenResult result = this.tokenEndpoint.exchangeCode(provider, connector.getConnectionConfig(), code,
					this.properties.callbackUri(), this.requests.decryptVerifier(attempt));
			this.connections.complete(connectionId, result, attempt.scopes(), attempt.startedBy());
			this.attempts.finish(attempt.id(), Outcome.ACTIVE, null);
			this.audit.completed(attempt, provider.type());
			return new CallbackResult(Kind.CONNECTED, provider.type(), provider.displayName(), result.accountEmail(),
					null, null, attempt.returnUrl(), attempt.connectorId(), null, false).of(attempt);
		}
		catch (ProviderException ex) {
			log.info("Code exchange for {} failed: {}", provider.type(), ProviderErrors.escape(ex.error()));
			return fail(attempt, connectionId, provider, ProviderErrors.code(ex.error()), null);
		}
		catch (DecryptionException ex) {
			// The stored verifier was tampered with or its key removed: the code cannot be redeemed safely.
			return fail(attempt, connectionId, provider, "verifier_unreadable",
					"The broker could not read this authorization's PKCE verifier. Start the connection again.");
		}
	}

	private CallbackResult fail(AuthorizationAttempt attempt, String connectionId, Provider provider, String error,
			String description) {
		this.attempts.finish(attempt.id(), Outcome.FAILED, error);
		this.connections.recordFailure(connectionId, "Authorization failed: " + error);
		this.audit.failed(attempt, provider.type(), error);
		return new CallbackResult(Kind.FAILED, provider.type(), provider.displayName(), null, error, description,
				attempt.returnUrl(), attempt.connectorId(), null, false).of(attempt);
	}

	/**
	 * A known link that cannot be used again: it expired or was already used. The page still names the service and
	 * offers the way back to the app, since the person only has to start again.
	 */
	private CallbackResult unusable(AuthorizationAttempt attempt) {
		boolean used = attempt.consumedAt() != null;
		Provider provider = this.connectors.findById(attempt.appId(), attempt.connectorId())
			.flatMap((connector) -> this.catalog.find(connector.getIntegrationType()))
			.orElse(null);
		return new CallbackResult(used ? Kind.INVALID_LINK : Kind.EXPIRED_LINK,
				(provider != null) ? provider.type() : null, (provider != null) ? provider.displayName() : null,
				null, used ? "link_used" : "link_expired",
				used ? "This authorization link was already used." : "This authorization link has expired.",
				attempt.returnUrl(), attempt.connectorId(), null, false).of(attempt);
	}

	private static CallbackResult invalid(String why) {
		return new CallbackResult(Kind.INVALID_LINK, null, null, null, "invalid_state", why, null, null, null, false);
	}

	/** The authorization response's parameters; {@code issuer} is its {@code iss} (RFC 9207) or null. */
	record CallbackParameters(String state, String code, String error, String errorDescription, String issuer) {
	}

}
