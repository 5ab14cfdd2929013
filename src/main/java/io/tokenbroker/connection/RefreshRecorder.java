package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.connection.LeasedRefresh.Attempt;
import io.tokenbroker.connection.RefreshOutcome.Result;
import io.tokenbroker.oauth.ProviderException;
import io.tokenbroker.oauth.TokenResult;
import io.tokenbroker.webhook.EventType;

import org.springframework.stereotype.Component;

/**
 * Writes down what a refresh attempt came to, on the connection and in the {@code broker.refresh.attempts} metric
 * (tags: provider, trigger, outcome, and a reason from a small fixed set, never a provider's own words).
 */
@Component
class RefreshRecorder {

	private static final Logger log = LoggerFactory.getLogger(RefreshRecorder.class);

	/** OAuth error codes and labels that mean "too many requests". */
	private static final Set<String> RATE_LIMIT_ERRORS = Set.of("http_429", "rate_limited", "ratelimited",
			"rate_limit_exceeded", "slow_down", "too_many_requests");

	private final ConnectionStore store;

	private final ConnectionSecrets secrets;

	private final RefreshPolicy policy;

	private final MeterRegistry metrics;

	private final Clock clock;

	private final ConnectionEvents events;

	private final RefreshWriter writer;

	private final InterruptedRefreshes interrupted;

	RefreshRecorder(ConnectionStore store, ConnectionSecrets secrets, RefreshPolicy policy, MeterRegistry metrics,
			Clock clock, ConnectionEvents events, RefreshWriter writer, InterruptedRefreshes interrupted) {
		this.events = events;
		this.writer = writer;
		this.interrupted = interrupted;
		this.store = store;
		this.secrets = secrets;
		this.policy = policy;
		this.metrics = metrics;
		this.clock = clock;
	}

	static boolean isRateLimited(ProviderException ex) {
		return ex.kind() == ProviderException.Kind.TRANSIENT
				&& (ex.retryAfter() != null || RATE_LIMIT_ERRORS.contains(ex.error()));
	}

	/** Stores the new pair, fenced on the version the refresh started from; the write also releases the lease. */
	Attempt succeeded(ConnectionRow row, TokenResult result, RefreshTrigger trigger) {
		Instant now = Instant.now(this.clock);
		ConnectionKey key = ConnectionKey.of(row);
		String access = this.secrets.encryptAccess(key, result.accessToken());
		String refresh = this.secrets.encryptRefresh(key, result.refreshToken());
		Instant due = this.policy.refreshDueAt(result.expiresAt(), result.refreshToken() != null, now);
		RefreshedPair pair = new RefreshedPair(row.id(), row.version(), access, refresh, result.expiresAt(),
				result.grantedScopes(), due, now);
		// A refresh that sends an event stores its pair in the event's transaction; all others go in groups.
		boolean saved = this.events.sendsOnRefresh(row) ? this.events.refreshed(row, () -> this.store.saveRefresh(pair))
				: this.writer.save(pair);
		if (saved) {
			count(row, trigger, "success", "none");
			if (row.refreshInFlight()) {
				this.interrupted.recovered(row);
			}
			return new Attempt(row.refreshed(access, refresh, result.expiresAt(), result.grantedScopes(), due, now),
					Result.REFRESHED);
		}
		// Re-authorized or disconnected while the provider answered: the newer write wins.
		count(row, trigger, "superseded", "none");
		log.warn("Refresh of connection {} was superseded by a newer write", row.id());
		return new Attempt(this.store.findById(row.id()).orElse(null), Result.NOT_DUE);
	}

	/**
	 * A refused or failed refresh. A dead grant expires the connection, unless the version moved on meanwhile (then
	 * someone else refreshed, and the refusal was about an old token): the current row is returned. Anything else is
	 * retried after a backoff (the provider's Retry-After when later). Rethrows so that readers learn why. A refusal
	 * of a refresh taken over from an interrupted one (a dead refresher, or a call that got no answer) says so: the
	 * interrupted request most likely used the token. A row that stays marked after the failure (its interrupted
	 * refresh is still unresolved, or this call got no answer either) keeps its access token from being served.
	 */
	Attempt failed(ConnectionRow row, ProviderException ex, RefreshTrigger trigger) {
		Instant now = Instant.now(this.clock);
		boolean lost = row.refreshInFlight() && ex.kind() == ProviderException.Kind.GRANT_INVALID;
		String reason = lost ? "Refresh failed: " + ex.getMessage() + " (an interrupted refresh, whose answer never "
				+ "arrived, had already sent the refresh token)" : "Refresh failed: " + ex.getMessage();
		String tag = lost ? "refresh_interrupted" : reasonTag(ex);
		if (ex.kind() == ProviderException.Kind.GRANT_INVALID) {
			if (!this.events.emitIf(EventType.CONNECTION_REAUTHORIZATION_REQUIRED, row, ConnectionStatus.EXPIRED, tag,
					() -> this.store.markStatus(row.id(), row.version(), ConnectionStatus.EXPIRED, reason, now))) {
				count(row, trigger, "superseded", tag);
				return new Attempt(this.store.findById(row.id()).orElse(null), Result.NOT_DUE);
			}
			count(row, trigger, "failure", tag);
			log.info("Refresh of connection {} ({}) was refused ({}); the connection is expired", row.id(),
					row.integrationType(), ex.error());
			if (lost) {
				this.interrupted.lost(row);
			}
			throw ex;
		}
		Duration delay = this.policy.retryDelay(row.refreshFailures(), ex.retryAfter());
		boolean settled = !row.refreshInFlight() && !ex.isUnanswered();
		this.events.refreshFailed(row, tag,
				() -> this.store.recordRefreshFailure(row.id(), row.version(), reason, now.plus(delay), settled));
		count(row, trigger, "failure", tag);
		log.info("Refresh of connection {} ({}) failed: {} [{}]; next attempt in {}", row.id(), row.integrationType(),
				ex.error(), ex.kind(), delay);
		throw ex;
	}

	/** A refresh that was sent and got no answer, about to be taken over at once. */
	void unanswered(ConnectionRow row, RefreshTrigger trigger) {
		count(row, trigger, "failure", "no_answer");
		log.info("Refresh of connection {} ({}) got no answer; the provider may have rotated its tokens, so it is "
				+ "not served before a repeated refresh settles it", row.id(), row.integrationType());
	}

	/**
	 * A connection without a refresh token: expired once its access token is, else left alone until then (the
	 * scheduler's due time moves to the expiry, so it is not claimed again before).
	 */
	Attempt withoutRefreshToken(ConnectionRow row, RefreshTrigger trigger, Instant now) {
		if (row.expiresAt() != null && !row.expiresAt().isAfter(now)) {
			if (this.events.emitIf(EventType.CONNECTION_REAUTHORIZATION_REQUIRED, row, ConnectionStatus.EXPIRED,
					"no_refresh_token", () -> this.store.markStatus(row.id(), row.version(), ConnectionStatus.EXPIRED,
							"The access token expired and the provider issued no refresh token.", now))) {
				count(row, trigger, "expired", "no_refresh_token");
				return new Attempt(this.store.findById(row.id()).orElse(null), Result.EXPIRED);
			}
			return new Attempt(this.store.findById(row.id()).orElse(null), Result.NOT_DUE);
		}
		if (trigger == RefreshTrigger.SCHEDULED) {
			this.store.reschedule(row.id(), row.expiresAt());
		}
		return new Attempt(row, Result.NOT_DUE);
	}

	/** A scheduled refresh broke on our side (undecryptable token, unknown provider, database): retry later. */
	void deferAfterError(String id, RuntimeException ex) {
		log.warn("Scheduled refresh of connection {} failed: {}", id, ex.getClass().getSimpleName());
		try {
			this.store.findById(id).ifPresent((row) -> {
				this.store.recordRefreshFailure(id, row.version(), "Refresh failed: internal error",
						Instant.now(this.clock).plus(this.policy.backoff(row.refreshFailures())), false);
				count(row, RefreshTrigger.SCHEDULED, "failure", "error");
			});
		}
		catch (RuntimeException again) {
			log.warn("Could not record the failed refresh of connection {}: {}", id, again.getClass().getSimpleName());
		}
	}

	private static String reasonTag(ProviderException ex) {
		return switch (ex.kind()) {
			case GRANT_INVALID -> "grant_invalid";
			case TRANSIENT -> isRateLimited(ex) ? "rate_limited" : ex.isUnanswered() ? "no_answer" : "transient";
			case REJECTED -> "rejected";
		};
	}

	private void count(ConnectionRow row, RefreshTrigger trigger, String outcome, String reason) {
		this.metrics
			.counter("broker.refresh.attempts", "provider", row.integrationType(), "trigger", trigger.tag(), "outcome",
					outcome, "reason", reason)
			.increment();
	}

}
