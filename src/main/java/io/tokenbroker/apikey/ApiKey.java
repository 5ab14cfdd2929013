package io.tokenbroker.apikey;

import java.time.Instant;
import java.util.List;

/** A workspace API key as listed: never the key itself, only its first characters to recognise it. */
record ApiKey(String id, String appId, String name, String keyPrefix, List<String> scopes, String createdBy,
		Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
}
