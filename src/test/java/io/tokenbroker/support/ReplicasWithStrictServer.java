package io.tokenbroker.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A deployment for one test class: a {@link StrictAuthorizationServer} registered as custom provider types, and
 * several {@link BrokerReplicas} on one fresh PostgreSQL database, started before the class's first test and closed
 * after its last. Register it on a static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ReplicasWithStrictServer deployment = ReplicasWithStrictServer.replicas(2)
 * 	.provider("strictidp", StrictAuthorizationServer.CLIENT_ID)
 * 	.setting("broker.refresh.scheduler-enabled", "false");
 * </pre>
 */
public final class ReplicasWithStrictServer implements BeforeAllCallback, AfterAllCallback {

	private final int count;

	/** Provider type to the client id the broker uses for it at the server. */
	private final Map<String, String> providers = new LinkedHashMap<>();

	private final Map<String, String> settings = new LinkedHashMap<>();

	private StrictAuthorizationServer server;

	private BrokerReplicas replicas;

	private ReplicasWithStrictServer(int count) {
		this.count = count;
	}

	/** {@code count} replicas, started one after the other. */
	public static ReplicasWithStrictServer replicas(int count) {
		return new ReplicasWithStrictServer(count);
	}

	/** Registers the server as provider {@code type}, with the client {@code clientId}, as an operator would. */
	public ReplicasWithStrictServer provider(String type, String clientId) {
		this.providers.put(type, clientId);
		return this;
	}

	/** A broker setting common to every replica. */
	public ReplicasWithStrictServer setting(String name, String value) {
		this.settings.put(name, value);
		return this;
	}

	public StrictAuthorizationServer server() {
		return this.server;
	}

	public BrokerReplicas replicas() {
		return this.replicas;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.server = StrictAuthorizationServer.start();
		Map<String, String> all = new LinkedHashMap<>();
		this.providers.forEach((type, clientId) -> all.putAll(this.server.providerProperties(type, clientId)));
		all.putAll(this.settings);
		this.replicas = BrokerReplicas.start(this.count, all);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.replicas != null) {
			this.replicas.close();
			this.replicas = null;
		}
		if (this.server != null) {
			this.server.close();
			this.server = null;
		}
	}

}
