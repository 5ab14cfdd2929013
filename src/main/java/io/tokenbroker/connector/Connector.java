package io.tokenbroker.connector;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An app's connector for one integration type: what to ask the provider for (scopes) and the app's connection-config
 * values. At most one per app and type. The tokens live in the connector's connections.
 */
@Entity
@Table(name = "connector")
public class Connector {

	@Id
	private String id;

	@Column(name = "app_id", nullable = false, updatable = false)
	private String appId;

	@Column(name = "integration_type", nullable = false, updatable = false)
	private String integrationType;

	// Newline-separated: scopes may contain spaces (the Base44 CLI sends them verbatim) but never control characters.
	@Column(name = "scopes", nullable = false)
	private String scopes;

	@Convert(converter = StringMapConverter.class)
	@Column(name = "connection_config")
	private Map<String, String> connectionConfig;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt;

	@Column(name = "disabled_at")
	private Instant disabledAt;

	@Column(name = "purge_after")
	private Instant purgeAfter;

	protected Connector() {
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
