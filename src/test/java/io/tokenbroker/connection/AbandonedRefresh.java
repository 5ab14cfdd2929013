package io.tokenbroker.connection;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.StrictAuthorizationServer;

import org.springframework.context.ApplicationContext;

/**
 * What a replica killed in the middle of a refresh leaves behind, made on purpose: its lease on the connection (about
 * to run out) and the row marked as having its refresh token sent, as {@link LeasedRefresh} marks it right before the
 * provider call; and, when the call had reached the provider, the refresh token used there, the new pair lost with
 * the replica.
 */
final class AbandonedRefresh {

	private static final String DEAD_OWNER = "killed-replica";

	private AbandonedRefresh() {
	}

	/**
	 * Leaves the connection {@code ref} as a replica killed mid-refresh would, through the beans of {@code replica};
	 * with {@code provider}, the refresh token is also used at that server. Returns the refresh token the dead
	 * replica sent (null when it did not reach the provider).
	 */
	static String leave(ApplicationContext replica, ConnectionRef ref, Duration lease,
			StrictAuthorizationServer provider) {
		ConnectionStore store = replica.getBean(ConnectionStore.class);
		ConnectionRow row = store.find(ref).orElseThrow();
		Instant now = Instant.now();
		if (!replica.getBean(LeaseStore.class).tryLease(row.id(), DEAD_OWNER, now.plus(lease), now)
				|| !store.markRefreshSent(row.id(), DEAD_OWNER, row.version(), now)) {
			throw new IllegalStateException("The connection's lease is taken");
		}
		if (provider == null) {
			return null;
		}
		String refreshToken = replica.getBean(ConnectionSecrets.class).refreshToken(row);
		String form = "grant_type=refresh_token&refresh_token=" + encode(refreshToken) + "&client_id="
				+ encode(StrictAuthorizationServer.CLIENT_ID) + "&client_secret="
				+ encode(StrictAuthorizationServer.CLIENT_SECRET);
		BrokerClient.Response answer = new BrokerClient(provider.baseUrl())
			.send(HttpRequest.newBuilder(URI.create(provider.baseUrl() + "/oauth2/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build());
		if (answer.status() != 200) {
			throw new IllegalStateException("The provider refused the refresh: " + answer);
		}
		return refreshToken;
	}

	/**
	 * Waits until no replica's cache still holds the connection {@code ref} without the mark {@link #leave} set: each
	 * hears of it by notification, which a replica that died mid-refresh would have sent long before its lease ran out.
	 */
	static void awaitHeardBy(ConnectionRef ref, ApplicationContext... replicas) {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
			for (ApplicationContext replica : replicas) {
				Optional<ConnectionRow> cached = replica.getBean(ConnectionRowCache.class).get(ref, Optional::empty);
				if (cached.isPresent() && !cached.get().refreshInFlight()) {
					return false;
				}
			}
			return true;
		});
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
