package io.tokenbroker.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How a connection is named: by type or by connector id, for the app or for one end user. */
class ConnectionRefTests {

	@Test
	void aConnectorIsNamedByTypeOrByIdButNotBoth() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectionRef("app", "github", "conn-1", null));
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectionRef("app", null, null, null));
	}

	@Test
	void anEndUserCannotBeNamedByAnEmptyIdSoNoEndUserReachesTheAppWideConnection() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConnectionRef.ofConnector("app", "conn-1").forEndUser(""));
	}

	@Test
	void theAppWideConnectionAndAnEndUsersConnectionMatchOnlyTheirOwnRow() {
		ConnectionRow appWide = row("app", "conn-1", "github", ConnectionRows.NO_END_USER);
		ConnectionRow alice = row("app", "conn-1", "github", "alice");
		ConnectionRef byType = ConnectionRef.ofType("app", "github");
		ConnectionRef aliceById = ConnectionRef.ofConnector("app", "conn-1").forEndUser("alice");

		assertThat(byType.isAppWide()).isTrue();
		assertThat(byType.matches(appWide)).isTrue();
		assertThat(byType.matches(alice)).isFalse();
		assertThat(aliceById.matches(alice)).isTrue();
		assertThat(aliceById.matches(appWide)).isFalse();
	}

	@Test
	void aConnectionOfAnotherAppNeverMatches() {
		ConnectionRow otherApp = row("other", "conn-1", "github", ConnectionRows.NO_END_USER);

		assertThat(ConnectionRef.ofType("app", "github").matches(otherApp)).isFalse();
		assertThat(ConnectionRef.ofConnector("app", "conn-1").matches(otherApp)).isFalse();
	}

	@Test
	void aTypeAndAConnectorIdThatAreTheSameWordNameDifferentConnections() {
		assertThat(ConnectionRef.ofType("app", "github")).isNotEqualTo(ConnectionRef.ofConnector("app", "github"));
	}

	private static ConnectionRow row(String appId, String connectorId, String type, String appUserId) {
		return new ConnectionRow("conn-row", connectorId, appId, appUserId, type, ConnectionStatus.ACTIVE, null, null,
				null, null, List.of(), null, null, Map.of(), Map.of(), List.of(), null, null, 0, null, null, 0, null,
				null, null);
	}

}
