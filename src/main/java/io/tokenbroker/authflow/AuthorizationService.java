package io.tokenbroker.authflow;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.authflow.AuthorizationAttempt.Outcome;
import io.tokenbroker.authflow.CallbackResult.Kind;
import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.connector.Ids;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.AuthorizationUrls;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.oauth.TokenEndpoint;
import io.tokenbroker.oauth.TokenResult;
import io.tokenbroker.problem.BrokerException;

import org.springframework.stereotype.Service;

/**
 * The authorization-code flow (RFC 6749 §4.1 with PKCE, RFC 7636, and RFC 9700's advice): start builds the provider
 * URL with a single-use state bound to the app, connector and end user; complete redeems the code exactly once.
 */
@Service
public class AuthorizationService {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationService.class);

	private static final int MAX_STATE_LENGTH = 512;

	/** How the attempt and connection tables key the app-wide connection: by an empty end-user id. */
	private static final String APP_WIDE_USER = "";

	private final AttemptStore attempts;

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final ProviderCatalog catalog;

	private final AuthorizationUrls authorizationUrls;

	private final TokenEndpoint tokenEndpoint;

	private final TokenCipher cipher;

	private final AuthFlowProperties properties;

	private final AttemptAudit audit;

	private final Clock clock;

	AuthorizationService(AttemptStore attempts, ConnectorService connectors, ConnectionService connections,
			ProviderCatalog catalog, AuthorizationUrls authorizationUrls, TokenEndpoint tokenEndpoint,
			TokenCipher cipher, AuthFlowProperties properties, AttemptAudit audit, Clock clock) {
		this.audit = audit;
		this.attempts = attempts;
		this.connectors = connectors;
		this.connections = connections;
		this.catalog = catalog;
		this.authorizationUrls = authorizationUrls;
		this.tokenEndpoint = tokenEndpoint;
		this.cipher = cipher;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Validates a return URL against the allow-list ahead of any change; null when none was given. The broker's own
	 * console is always allowed, so that a connection started there comes back to it.
	 */
	public String checkReturnUrl(String returnUrl) {
		List<String> allowed = new java.util.ArrayList<>(this.properties.oauth().allowedReturnUrls());
		allowed.add(this.properties.consoleUrl().toString());
		return ReturnUrls.check(returnUrl, allowed);
	}

	/** Starts an authorization of the connector's app-wide connection. */
	public AuthorizationStart start(Connector connector, String returnUrl) {
		return start(connector, APP_WIDE_USER, returnUrl);
	}

	/** Starts an authorization of the connector for the end user {@code appUserId}. */
	public AuthorizationStart start(Connector connector, String appUserId, String returnUrl) {
		Provider provider = this.catalog.requireConfigured(connector.getIntegrationType());
		if (provider.authMode() != AuthMode.OAUTH2) {
			throw BrokerException.badRequest(provider.displayName() + " connects with an API key, not OAuth.");
		}
		String checkedReturnUrl = checkReturnUrl(returnUrl);
		String connectionId = this.connections.prepare(connector, appUserId);
		Instant now = Instant.now(this.clock);
		String attemptId = Ids.newId("auth");
		String state = Ids.randomToken(32);
		String verifier = provider.pkce() ? Pkce.newVerifier() : null;
		String verifierCipher = (verifier != null) ? this.cipher.encrypt(verifier, verifierData(attemptId)) : null;
		AuthorizationAttempt attempt = new AuthorizationAttempt(attemptId, connector.getAppId(), connector.getId(),
				appUserId, connector.getScopes(), verifierCipher, checkedReturnUrl, Outcome.PENDING, null,
				now.plus(this.properties.oauth().stateTtl()), null, AuditTrail.currentActor());
		this.attempts.insert(attempt, Pkce.sha256Hex(state), now);
		java.net.URI url;
		try {
			url = this.authorizationUrls.build(provider, connector.getConnectionConfig(),
					this.properties.callbackUri(), state, (verifier != null) ? Pkce.challenge(verifier) : null,
					connector.getScopes());
		}
		catch (IllegalArgumentException ex) {
			throw BrokerException.badRequest("The connector's connection config does not fill the provider's URL: "
					+ ex.getMessage());
		}
		this.audit.started(attempt, provider.type());
		return new AuthorizationStart(attemptId, connectionId, url);
	}

	/**
	 * Handles the provider's redirect back to {@code /oauth/callback}.
	 * @param issuer the authorization response's {@code iss} (RFC 9207), or null when the provider sent none
	 */
	public CallbackResult complete(String state, String code, String error, String errorDescription, String issuer) {
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
		Optional<Connector> connector = this.connectors.findById(attempt.appId(), attempt.connectorId());
		if (connector.isEmpty()) {
			return invalid("The connector was deleted while the authorization was in progress.");
		}
		Provider provider = this.catalog.find(connector.get().getIntegrationType()).orElse(null);
		if (provider == null || !provider.configured()) {
			return invalid("The integration is no longer configured on this broker.");
		}
		String connectionId = this.connections.prepare(connector.get(), attempt.appUserId());
		if (issuer != null && provider.issuer() != null && !provider.issuer().equals(issuer)) {
			// RFC 9207 §2.4: a response from another issuer than the one the request went to is a mix-up attack;
			// its code is never sent anywhere.
			log.warn("Authorization response for {} names an unexpected issuer; refused", provider.type());
			return fail(attempt, connectionId, provider, "invalid_issuer",
					"The authorization response came from an unexpected issuer.");
		}
		if (error != null) {
			return fail(attempt, connectionId, provider, clean(error), clean(errorDescription));
		}
		if (code == null || code.isEmpty()) {
			this.attempts.finish(attempt.id(), Outcome.FAILED, "missing_code");
			this.audit.failed(attempt, provider.type(), "missing_code");
			return new CallbackResult(Kind.INVALID_LINK, provider.type(), provider.displayName(), null,
					"missing_code", "The provider sent no authorization code.", attempt.returnUrl(),
					attempt.connectorId());
		}
		try {
			String verifier = (attempt.codeVerifierCipher() != null)
					? this.cipher.decrypt(attempt.codeVerifierCipher(), verifierData(attempt.id())) : null;
			TokenResult result = this.tokenEndpoint.exchangeCode(provider, connector.get().getConnectionConfig(),
					code, this.properties.callbackUri(), verifier);
			this.connections.complete(connectionId, result, attempt.scopes());
			this.attempts.finish(attempt.id(), Outcome.ACTIVE, null);
			this.audit.completed(attempt, provider.type());
			return new CallbackResult(Kind.CONNECTED, provider.type(), provider.displayName(), result.accountEmail(),
					null, null, attempt.returnUrl(), attempt.connectorId());
		}
		catch (ProviderException ex) {
			log.info("Code exchange for {} failed: {}", provider.type(), ex.error());
			return fail(attempt, connectionId, provider, ex.error(), ex.getMessage());
		}
		catch (DecryptionException ex) {
			// The stored verifier was tampered with or its key removed: the code cannot be redeemed safely.
			return fail(attempt, connectionId, provider, "verifier_unreadable",
					"The broker could not read this authorization's PKCE verifier. Start the connection again.");
		}
	}

	/** The outcome of an attempt of the app, for clients that poll. */
	public Optional<AttemptStatus> status(String appId, String attemptId) {
		return this.attempts.findById(attemptId).filter((a) -> a.appId().equals(appId)).map((a) -> {
			Instant now = Instant.now(this.clock);
			Outcome outcome = (a.outcome() == Outcome.PENDING && a.expiresAt().isBefore(now)) ? Outcome.FAILED
					: a.outcome();
			return new AttemptStatus(a.id(), outcome.name(), a.error());
		});
	}

	/** The last attempt outcome of a connection, as seen by a client polling with a connection id. */
	public Optional<ConnectionView> connection(String connectionId) {
		return this.connections.findById(connectionId);
	}

	/** Deletes attempts well past their expiry; they are only kept so clients can poll outcomes. */
	public int purge(java.time.Duration retention) {
		return this.attempts.purgeExpiredBefore(Instant.now(this.clock).minus(retention));
	}

	public record AttemptStatus(String id, String outcome, String error) {
	}

	private CallbackResult fail(AuthorizationAttempt attempt, String connectionId, Provider provider, String error,
			String description) {
		this.attempts.finish(attempt.id(), Outcome.FAILED, error);
		this.connections.recordFailure(connectionId, "Authorization failed: " + error);
		this.audit.failed(attempt, provider.type(), error);
		return new CallbackResult(Kind.FAILED, provider.type(), provider.displayName(), null, error, description,
				attempt.returnUrl(), attempt.connectorId());
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
				attempt.returnUrl(), attempt.connectorId());
	}

	private static CallbackResult invalid(String why) {
		return new CallbackResult(Kind.INVALID_LINK, null, null, null, "invalid_state", why, null, null);
	}

	private static String verifierData(String attemptId) {
		return "oauth_state|" + attemptId + "|code_verifier";
	}

	private static String clean(String text) {
		if (text == null) {
			return null;
		}
		String clean = text.replaceAll("\\p{Cntrl}", " ");
		return (clean.length() > 300) ? clean.substring(0, 300) : clean;
	}

}
