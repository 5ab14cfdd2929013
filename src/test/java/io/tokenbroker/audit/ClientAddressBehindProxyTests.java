package io.tokenbroker.audit;

import static io.tokenbroker.support.AuditEventsProbe.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.BrokerInstance;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.TestDatabase;

/**
 * The client address the audit trail records behind a proxy: X-Forwarded-For counts only when the request comes from
 * a proxy the operator trusts (server.tomcat.remoteip.internal-proxies); production mode trusts none by default.
 */
class ClientAddressBehindProxyTests {

	private static BrokerInstance behindTrustedProxy;

	private static BrokerInstance withDefaults;

	@BeforeAll
	static void start() {
		// This test's requests come from 127.0.0.1: as a trusted proxy to the first broker, as anybody to the second.
		behindTrustedProxy = BrokerInstance.start(TestDatabase.newDatabase("proxied"),
				Map.of("server.tomcat.remoteip.internal-proxies", "127\\.0\\.0\\.1|0:0:0:0:0:0:0:1"));
		withDefaults = BrokerInstance.start(TestDatabase.newDatabase("unproxied"), Map.of());
	}

	@AfterAll
	static void stop() {
		if (behindTrustedProxy != null) {
			behindTrustedProxy.close();
		}
		if (withDefaults != null) {
			withDefaults.close();
		}
	}

	@Test
	void theClientAddressATrustedProxyForwardsIsRecorded() {
		JsonNode event = readRecorded(behindTrustedProxy.client(), "203.0.113.7");
		assertThat(event.get("clientAddress").asString()).isEqualTo("203.0.113.7");
	}

	@Test
	void aClientAddressWrittenByTheClientBeforeTheTrustedProxyIsIgnored() {
		// The client wrote the first entry itself; the proxy appended the address it saw.
		JsonNode event = readRecorded(behindTrustedProxy.client(), "198.51.100.66, 203.0.113.8");
		assertThat(event.get("clientAddress").asString()).isEqualTo("203.0.113.8");
	}

	@Test
	void aForwardedForHeaderFromAnUntrustedClientIsIgnored() {
		JsonNode event = readRecorded(withDefaults.client(), "203.0.113.9");
		assertThat(event.get("clientAddress").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
	}

	/** Reads a connection that does not exist with {@code forwardedFor}, and returns the audit record of the read. */
	private static JsonNode readRecorded(BrokerClient client, String forwardedFor) {
		String token = ServiceTokens.forApp("app-proxied-" + System.nanoTime());
		String requestId = "req-proxied-" + System.nanoTime();
		HttpRequest read = client.request("/connectors/mockidp/connection", token)
			.header("X-Forwarded-For", forwardedFor)
			.header("X-Request-Id", requestId)
			.GET()
			.build();
		assertThat(client.send(read).status()).isEqualTo(404);
		return await(client, token, "action=token.read", (e) -> requestId.equals(e.get("requestId").asString()));
	}

}
