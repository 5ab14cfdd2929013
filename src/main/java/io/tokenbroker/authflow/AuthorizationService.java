package io.tokenbroker.authflow;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.authflow.AuthorizationAttempt.Outcome;
import io.tokenbroker.authflow.AuthorizationCompletion.CallbackParameters;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.Ids;
import io.tokenbroker.origins.AllowedOrigins;
import io.tokenbroker.problem.BrokerException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Service;

/**
 * The authorization-code flow (RFC 6749 §4.1 with PKCE, RFC 7636, and RFC 9700's advice): start builds the provider
 * URL with a single-use state bound to the app, connector and end user; complete redeems the code exactly once. An end
 * user's start gives a link to the broker's connect page instead, which binds the flow to the browser that opens it.
 */
@Service
public class AuthorizationService {

	/** How the attempt and connection tables key the app-wide connection: by an empty end-user id. */
	private static final String APP_WIDE_USER = "";

	private final AttemptStore attempts;

	private final ConnectionService connections;

	private final AuthorizationRequests requests;

	private final AuthorizationCompletion completion;

	private final AllowedOrigins origins;

	private final AuthFlowProperties properties;

	private final AttemptAudit audit;

	private final Clock clock;

	AuthorizationService(AttemptStore attempts, ConnectionService connections, AuthorizationRequests requests,
			AuthorizationCompletion completion, AllowedOrigins origins, AuthFlowProperties properties,
			AttemptAudit audit, Clock clock) {
		this.attempts = attempts;
		this.connections = connections;
		this.requests = requests;
		this.completion = completion;
		this.origins = origins;
		this.properties = properties;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Validates a return URL against the allow-list ahead of any change; null when none was given. The broker's own
	 * console is always allowed, so that a connection started there comes back to it.
	 */
	public String checkReturnUrl(String returnUrl) {
		return ReturnUrls.check(returnUrl, allowedReturnUrls());
	}

	/** Like {@link #checkReturnUrl(String)}, also admitting pages of the app's allowed origins. */
	public String checkReturnUrl(String appId, String returnUrl) {
		return ReturnUrls.check(returnUrl, allowedReturnUrls(), (url) -> this.origins.allowsReturnTo(appId, url));
	}

	/**
	 * The page a Base44 client was on ({@code X-Origin-URL}) as a return URL, without its fragment; null, never an
	 * error, when it is not one the browser may be sent back to (the SDK sends it on every call from a browser).
	 */
	public String originReturnUrl(String appId, String originUrl) {
		if (originUrl == null || originUrl.length() > 2000) {
			return null;
		}
		int fragment = originUrl.indexOf('#');
		try {
			return checkReturnUrl(appId, (fragment >= 0) ? originUrl.substring(0, fragment) : originUrl);
		}
		catch (BrokerException ex) {
			return null;
		}
	}

	/** Starts an authorization of the app-wide connection: the answer is the provider's URL. */
	public AuthorizationStart start(Connector connector, String returnUrl) {
		Provider provider = this.requests.provider(connector);
		String checkedReturnUrl = checkReturnUrl(returnUrl);
		String connectionId = this.connections.prepare(connector, APP_WIDE_USER);
		String attemptId = Ids.newId("auth");
		AuthorizationRequests.Request request = this.requests.newRequest(provider, connector, attemptId);
		AuthorizationAttempt attempt = attempt(attemptId, connector, provider, APP_WIDE_USER, null,
				request.verifierCipher(), checkedReturnUrl);
		this.attempts.insert(attempt, request.stateHash(), null, Instant.now(this.clock));
		this.audit.started(attempt, provider.type());
		return new AuthorizationStart(attemptId, connectionId, request.url());
	}

	/**
	 * Starts an end user's authorization: the answer is a single-use link to the broker's connect page, where the
	 * person sees what is connected for whom and confirms; only then does the browser go to the provider.
	 * @param returnUrl an already checked return URL, or null
	 * @param userLabel how the page names the end user (a name or address from their token, else their id)
	 */
	public AuthorizationStart startForEndUser(Connector connector, String appUserId, String userLabel,
			String returnUrl) {
		Provider provider = this.requests.provider(connector);
		this.requests.providerOrigin(provider, connector);
		String connectionId = this.connections.prepare(connector, appUserId);
		String attemptId = Ids.newId("auth");
		String ticket = Ids.randomToken(32);
		AuthorizationAttempt attempt = attempt(attemptId, connector, provider, appUserId, userLabel, null,
				returnUrl);
		// No state leaves the broker until the page is confirmed: the row holds the hash of a value never given out.
		this.attempts.insert(attempt, Pkce.sha256Hex(Ids.randomToken(32)), Pkce.sha256Hex(ticket),
				Instant.now(this.clock));
		this.audit.started(attempt, provider.type());
		return new AuthorizationStart(attemptId, connectionId, URI.create(this.properties.connectUrl(ticket)));
	}

	/** Handles the provider's redirect back to {@code /oauth/callback}, in the browser that sent it. */
	public CallbackResult complete(String state, String code, String error, String errorDescription, String issuer,
			HttpServletRequest browser) {
		return this.completion.complete(new CallbackParameters(state, code, error, errorDescription, issuer), browser);
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

	private AuthorizationAttempt attempt(String attemptId, Connector connector, Provider provider, String appUserId,
			String userLabel, String verifierCipher, String returnUrl) {
		return new AuthorizationAttempt(attemptId, connector.getAppId(), connector.getId(), appUserId,
				AuthorizationRequests.scopes(provider, connector), verifierCipher, returnUrl, Outcome.PENDING, null,
				Instant.now(this.clock).plus(this.properties.oauth().stateTtl()), null, AuditTrail.currentActor(),
				null, null, userLabel);
	}

	private List<String> allowedReturnUrls() {
		List<String> allowed = new ArrayList<>(this.properties.oauth().allowedReturnUrls());
		allowed.add(this.properties.consoleUrl().toString());
		return allowed;
	}

}
