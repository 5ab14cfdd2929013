package io.tokenbroker.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.tokenbroker.connector.Ids;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.security.ApiKeyVerifier;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.stereotype.Service;

/**
 * Workspace API keys: each is bound to one app and to scopes, shown once at creation, stored as a SHA-256 hash,
 * revocable, and remembers when it was last used.
 */
@Service
class ApiKeyService implements ApiKeyVerifier {

	static final String PREFIX = "b44k_";

	private static final Set<String> GRANTABLE = Set.of(Scopes.READ, Scopes.ADMIN);

	private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

	private static final int MAX_KEY_LENGTH = 200;

	private final ApiKeyStore store;

	private final Clock clock;

	ApiKeyService(ApiKeyStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	/** A new key for the caller's app, with at most the caller's own scopes. The plaintext is only in the result. */
	Created create(ServiceCaller caller, String name, List<String> scopes) {
		List<String> granted = (scopes != null) ? scopes.stream().distinct().toList()
				: GRANTABLE.stream().filter(caller::hasScope).sorted().toList();
		for (String scope : granted) {
			// Set.of(...).contains(null) throws: a null in the list is refused like any other unknown scope.
			if (scope == null || !GRANTABLE.contains(scope)) {
				throw BrokerException.badRequest("An API key's scopes are connectors:read and connectors:admin.");
			}
			if (!caller.hasScope(scope)) {
				throw new BrokerException(org.springframework.http.HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
						"A key cannot have a scope its creator's token lacks (" + scope + ").");
			}
		}
		if (granted.isEmpty()) {
			throw BrokerException.badRequest("An API key needs at least one scope.");
		}
		if (name != null && (name.length() > 200 || name.codePoints().anyMatch(ApiKeyService::notText))) {
			throw BrokerException.badRequest("name is at most 200 characters of text without control characters.");
		}
		String plaintext = PREFIX + Ids.randomToken(32);
		ApiKey key = new ApiKey(Ids.newId("key"), caller.appId(), name, plaintext.substring(0, 12), granted,
				caller.subject(), Instant.now(this.clock), null, null);
		this.store.insert(key, hash(plaintext));
		return new Created(key, plaintext);
	}

	/** A control character, or half of a surrogate pair: UTF-8 cannot encode it, PostgreSQL would store a '?'. */
	private static boolean notText(int codePoint) {
		return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
	}

	List<ApiKey> list(String appId) {
		return this.store.listByApp(appId);
	}

	void revoke(String appId, String id) {
		if (!this.store.revoke(appId, id, Instant.now(this.clock))) {
			throw BrokerException.notFound(ErrorCodes.NOT_FOUND, "This app has no API key with that id.");
		}
	}

	@Override
	public Optional<ServiceCaller> verify(String presentedKey) {
		if (presentedKey == null || !presentedKey.startsWith(PREFIX) || presentedKey.length() > MAX_KEY_LENGTH) {
			return Optional.empty();
		}
		Optional<ApiKey> key = this.store.findActiveByHash(hash(presentedKey));
		key.ifPresent((k) -> {
			Instant now = Instant.now(this.clock);
			this.store.touch(k.id(), now, now.minus(TOUCH_INTERVAL));
		});
		return key.map((k) -> new ServiceCaller("api-key:" + k.id(), k.appId(), Set.copyOf(k.scopes())));
	}

	static String hash(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Created(ApiKey key, String plaintext) {

		@Override
		public String toString() {
			return "Created[" + this.key.id() + ", ****]";
		}

	}

}
