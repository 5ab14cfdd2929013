package io.tokenbroker.connector;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An app's connector for one integration type: what to ask the provider for (scopes) and the app's connection-config
 * values. At most one per app and type. The tokens live in the connector's connections.
 */
public class Connector {

	private String id;

	private String appId;

	private String integrationType;

	// Newline-separated: scopes may contain spaces (the Base44 CLI sends them verbatim) but never control characters.
	private String scopes;

	private Map<String, String> connectionConfig;

	private Instant createdAt;

	private Instant updatedAt;

	private Instant disabledAt;

	private Instant purgeAfter;

	/** A stored connector, as {@link ConnectorStore} reads it. */
	Connector(String id, String appId, String integrationType, List<String> scopes, Map<String, String> connectionConfig,
			Instant createdAt, Instant updatedAt, Instant disabledAt, Instant purgeAfter) {
		this.id = id;
		this.appId = appId;
		this.integrationType = integrationType;
		this.scopes = String.join("\n", scopes);
		this.connectionConfig = connectionConfig;
		this.createdAt = createdAt;
		this.updatedAt = updatedAt;
		this.disabledAt = disabledAt;
		this.purgeAfter = purgeAfter;
	}

	Connector(String id, String appId, String integrationType, Instant now) {
		this.id = id;
		this.appId = appId;
		this.integrationType = integrationType;
		this.scopes = "";
		this.connectionConfig = Map.of();
		this.createdAt = now;
		this.updatedAt = now;
	}

	public String getId() {
		return this.id;
	}

	public String getAppId() {
		return this.appId;
	}

	public String getIntegrationType() {
		return this.integrationType;
	}

	public List<String> getScopes() {
		return this.scopes.isEmpty() ? List.of() : Arrays.asList(this.scopes.split("\n"));
	}

	public Map<String, String> getConnectionConfig() {
		return (this.connectionConfig != null) ? Map.copyOf(this.connectionConfig) : Map.of();
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getUpdatedAt() {
		return this.updatedAt;
	}

	/** When the connector was removed; null while it is in use. */
	public Instant getDisabledAt() {
		return this.disabledAt;
	}

	/** When a removed connector's tokens are revoked and deleted. */
	public Instant getPurgeAfter() {
		return this.purgeAfter;
	}

	public boolean isDisabled() {
		return this.disabledAt != null;
	}

	void disable(Instant now, Instant purgeAfter) {
		this.disabledAt = now;
		this.purgeAfter = purgeAfter;
		this.updatedAt = now;
	}

	void enable(Instant now) {
		this.disabledAt = null;
		this.purgeAfter = null;
		this.updatedAt = now;
	}

	void update(List<String> scopes, Map<String, String> connectionConfig, Instant now) {
		this.scopes = String.join("\n", scopes);
		this.connectionConfig = Map.copyOf(connectionConfig);
		this.updatedAt = now;
	}

}
