package io.tokenbroker.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.tokenbroker.connection.ConnectionSecrets.ConnectionKey;
import io.tokenbroker.connection.GrantRevocations.Revocation;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.Ids;
import io.tokenbroker.crypto.TokenCipher.DecryptionException;
import io.tokenbroker.oauth.TokenResult;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.webhook.EventType;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/** A connector's connections: created pending when authorization starts, filled when it completes. */
@Service
public class ConnectionService {

	private final ConnectionStore store;

	private final DisconnectedStore disconnected;

	private final ConnectionSecrets secrets;

	private final RefreshPolicy policy;

	private final Clock clock;

	private final ConnectionEvents events;

	private final GrantRevocations revocations;

	ConnectionService(ConnectionStore store, DisconnectedStore disconnected, ConnectionSecrets secrets,
			RefreshPolicy policy, Clock clock, ConnectionEvents events, GrantRevocations revocations) {
		this.events = events;
		this.revocations = revocations;
		this.store = store;
		this.disconnected = disconnected;
		this.secrets = secrets;
		this.policy = policy;
		this.clock = clock;
	}

	/** The connection an authorization will fill: the existing one, or a new pending one. Returns its id. */
	public String prepare(Connector connector, String appUserId) {
		Optional<ConnectionRow> existing = this.store.findByConnector(connector.getId(), appUserId);
		if (existing.isPresent()) {
			return existing.get().id();
		}
		try {
			this.store.insertPending(Ids.newId("conn"), connector.getId(), connector.getAppId(), appUserId,
					Instant.now(this.clock));
		}
		catch (DuplicateKeyException ex) {
			// A concurrent start created it.
		}
		return this.store.findByConnector(connector.getId(), appUserId).orElseThrow().id();
	}

	/**
	 * Stores the tokens of a completed authorization, replacing any earlier grant. Once the new grant is committed, the
	 * one it replaced is revoked at the provider, best effort and audited as done by {@code actor}: the grant read
	 * under the row's lock, so that a refresh or another authorization racing this one cannot leave a grant unrevoked.
	 */
	public void complete(String connectionId, TokenResult result, List<String> requestedScopes, String actor) {
		ConnectionRow row = this.store.findById(connectionId).orElseThrow();
		ConnectionKey key = ConnectionKey.of(row);
		Instant now = Instant.now(this.clock);
		List<String> granted = (result.grantedScopes() != null) ? result.grantedScopes() : requestedScopes;
		String reason = (row.status() == ConnectionStatus.PENDING) ? "authorized" : "reauthorized";
		AtomicReference<ConnectionRow> replaced = new AtomicReference<>();
		AtomicReference<Revocation> old = new AtomicReference<>();
		this.events.emitIf(EventType.CONNECTION_CREATED, row, ConnectionStatus.ACTIVE, reason, () -> {
			this.store.findByIdForUpdate(connectionId).ifPresent((current) -> {
				replaced.set(current);
				old.set(this.revocations.of(current));
			});
			this.store.saveAuthorization(connectionId, this.secrets.encryptAccess(key, result.accessToken()),
					this.secrets.encryptRefresh(key, result.refreshToken()), result.expiresAt(), granted,
					result.accountId(), result.accountEmail(), result.metadata(),
					this.policy.refreshDueAt(result.expiresAt(), result.refreshToken() != null, now), now);
			return true;
		});
		if (replaced.get() != null) {
			this.revocations.revokeReplaced(replaced.get(), old.get(), result, actor);
		}
	}

	/**
	 * Stores an API key (an API-key type such as Stripe) exactly like an access token: encrypted, active, never
	 * expiring, nothing to refresh.
	 */
	/** Stores an API key as the connector's app-wide connection. */
	public void storeApiKey(Connector connector, String apiKey) {
		String connectionId = prepare(connector, ConnectionRows.NO_END_USER);
		complete(connectionId, new TokenResult(apiKey, null, null, List.of(), null, null, Map.of()), List.of(), null);
	}

	/** Notes a failed authorization on a connection that never had a grant (an active one keeps working). */
	public void recordFailure(String connectionId, String reason) {
		this.store.recordPendingFailure(connectionId, reason, Instant.now(this.clock));
	}

	/**
	 * Disconnects a connection on purpose without forgetting it: it is no longer served, its tokens stay encrypted so
	 * that {@link #restore} can bring it back, and {@link Disconnector#purgeDisconnected} later deletes and revokes
	 * it. A compare-and-set on {@code expectedVersion}: a connection that changed since it was read is left alone.
	 * @throws BrokerException 404 when there is no such connection, 409 when it changed or holds no grant
	 */
	public ConnectionView disconnect(String connectionId, long expectedVersion) {
		ConnectionRow row = require(connectionId);
		if (row.status() != ConnectionStatus.ACTIVE && row.status() != ConnectionStatus.EXPIRED) {
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
					"Only an active or expired connection can be disconnected; this one is " + row.status().wireName()
							+ ".");
		}
		if (!this.events.emitIf(EventType.CONNECTION_DISCONNECTED, row, ConnectionStatus.DISCONNECTED, "disconnected",
				() -> this.disconnected.disconnect(connectionId, expectedVersion,
						"Disconnected on purpose; restorable for a while.", Instant.now(this.clock)))) {
			throw changed();
		}
		return require(connectionId).view();
	}

	/**
	 * Makes a disconnected connection active again, if it was disconnected less than {@code grace} ago and its grant
	 * is still usable: its tokens decrypt, and the access token is unexpired or can be refreshed.
	 * @throws BrokerException 404 when there is no such connection, 409 when it changed, is not disconnected, the
	 * grace period is over or the grant is no longer usable (re-authorize instead)
	 */
	public ConnectionView restore(String connectionId, long expectedVersion, Duration grace) {
		ConnectionRow row = require(connectionId);
		Instant now = Instant.now(this.clock);
		if (row.status() != ConnectionStatus.DISCONNECTED) {
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
					"Only a disconnected connection can be restored; this one is " + row.status().wireName() + ".");
		}
		Instant disconnectedAfter = now.minus(grace);
		if (!row.updatedAt().isAfter(disconnectedAfter)) {
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
					"The connection was disconnected too long ago to be restored; authorize it again.");
		}
		boolean refreshable = usable(row);
		if (!refreshable && row.expiresAt() != null && !row.expiresAt().isAfter(now)) {
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
					"The connection's access token expired and cannot be refreshed; authorize it again.");
		}
		Instant due = this.policy.refreshDueAt(row.expiresAt(), refreshable, now);
		if (!this.events.emitIf(EventType.CONNECTION_RESTORED, row, ConnectionStatus.ACTIVE, "restored",
				() -> this.disconnected.restore(connectionId, expectedVersion, due, disconnectedAfter, now))) {
			throw changed();
		}
		return require(connectionId).view();
	}

	/** Whether the row's tokens decrypt; true when it also holds a refresh token. */
	private boolean usable(ConnectionRow row) {
		try {
			this.secrets.accessToken(row);
			return this.secrets.refreshToken(row) != null;
		}
		catch (DecryptionException ex) {
			throw BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
					"The connection's stored credentials cannot be decrypted; authorize it again.");
		}
	}

	private ConnectionRow require(String connectionId) {
		return this.store.findById(connectionId)
			.orElseThrow(() -> BrokerException.notFound(ErrorCodes.NOT_FOUND, "No such connection."));
	}

	private static BrokerException changed() {
		return BrokerException.conflict(ErrorCodes.INVALID_REQUEST,
				"The connection changed since it was read (refreshed, re-authorized or changed by someone else); "
						+ "look at it again and retry.");
	}

	/** The connector's app-wide connection, whatever the connector's state. */
	public Optional<ConnectionView> findAppWide(String connectorId) {
		return this.store.findByConnector(connectorId, ConnectionRows.NO_END_USER).map(ConnectionView::of);
	}

	/** One end user's connection of the connector. */
	public Optional<ConnectionView> findForEndUser(String connectorId, String appUserId) {
		if (appUserId == null || appUserId.isEmpty()) {
			throw new IllegalArgumentException("an end user's id is required");
		}
		return this.store.findByConnector(connectorId, appUserId).map(ConnectionView::of);
	}

	public Optional<ConnectionView> findById(String connectionId) {
		return this.store.findById(connectionId).map(ConnectionView::of);
	}

	/** End users' connections of a connector in user-id order, starting after {@code afterUserId}. */
	public List<ConnectionView> findUsers(String connectorId, String afterUserId, int limit) {
		// The first page starts after the app-wide connection, whose stored user id sorts first.
		String after = (afterUserId != null) ? afterUserId : ConnectionRows.NO_END_USER;
		return this.store.pageUsers(connectorId, after, limit)
			.stream()
			.map(ConnectionView::of)
			.toList();
	}

	/** Per connector of the app: how many end-user connections it has in each status (absent when none). */
	public java.util.Map<String, java.util.Map<ConnectionStatus, Long>> countUsers(String appId) {
		java.util.Map<String, java.util.Map<ConnectionStatus, Long>> counts = new java.util.HashMap<>();
		for (ConnectionStore.UserConnectionCount c : this.store.countUsers(appId)) {
			counts.computeIfAbsent(c.connectorId(), (id) -> new java.util.EnumMap<>(ConnectionStatus.class))
				.put(c.status(), c.count());
		}
		return counts;
	}

	public List<ConnectionView> findAll(String connectorId) {
		return this.store.findAllByConnector(connectorId).stream().map(ConnectionView::of).toList();
	}

}
