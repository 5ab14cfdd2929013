package io.tokenbroker.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.console.ConsoleViews.Badge;
import io.tokenbroker.console.ConsoleViews.CatalogCard;
import io.tokenbroker.console.ConsoleViews.ConnectorCard;
import io.tokenbroker.console.ConsoleViews.Unconfigured;

import org.springframework.stereotype.Component;

/** Reads one app's state for the console page: its connectors, and the rest of the catalog. */
@Component
class ConsoleOverview {

	private final ProviderCatalog catalog;

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final EndUserCounts endUserCounts;

	private final ConsoleProperties properties;

	private final Clock clock;

	ConsoleOverview(ProviderCatalog catalog, ConnectorService connectors, ConnectionService connections,
			EndUserCounts endUserCounts, ConsoleProperties properties, Clock clock) {
		this.catalog = catalog;
		this.connectors = connectors;
		this.connections = connections;
		this.endUserCounts = endUserCounts;
		this.properties = properties;
		this.clock = clock;
	}

	record AppState(List<ConnectorCard> connectors, List<CatalogCard> available, List<Unconfigured> unconfigured) {
	}

	AppState read(String appId) {
		Instant now = Instant.now(this.clock);
		Map<String, Map<ConnectionStatus, Long>> counts = this.endUserCounts.byConnector(appId);
		List<ConnectorCard> cards = new ArrayList<>();
		List<String> taken = new ArrayList<>();
		for (Connector connector : this.connectors.list(appId)) {
			taken.add(connector.getIntegrationType());
			Provider provider = this.catalog.find(connector.getIntegrationType()).orElse(null);
			ConnectionView connection = this.connections.findAppWide(connector.getId()).orElse(null);
			cards.add(card(connector, provider, connection, counts.get(connector.getId()), now));
		}
		List<CatalogCard> available = new ArrayList<>();
		List<Unconfigured> unconfigured = new ArrayList<>();
		for (Provider provider : this.catalog.all()) {
			if (taken.contains(provider.type())) {
				continue;
			}
			if (provider.configured()) {
				available.add(new CatalogCard(provider.type(), provider.displayName(), provider.description(),
						provider.authMode() == AuthMode.OAUTH2, provider.connectionConfigFields()));
			}
			else {
				unconfigured.add(new Unconfigured(provider.type(), provider.displayName()));
			}
		}
		return new AppState(cards, available, unconfigured);
	}

	private ConnectorCard card(Connector connector, Provider provider, ConnectionView connection,
			Map<ConnectionStatus, Long> endUsers, Instant now) {
		String name = (provider != null) ? provider.displayName() : connector.getIntegrationType();
		boolean oauth = provider != null && provider.configured() && provider.authMode() == AuthMode.OAUTH2;
		ConnectionStatus status = (connection != null) ? connection.status() : ConnectionStatus.PENDING;
		List<String> granted = (connection != null) ? connection.grantedScopes() : List.of();
		List<String> missing = (status == ConnectionStatus.PENDING) ? List.of()
				: connector.getScopes().stream().filter((scope) -> !granted.contains(scope)).toList();
		Instant restoreUntil = (connection != null && connection.disconnectedAt() != null)
				? connection.disconnectedAt().plus(this.properties.restoreGrace()) : null;
		boolean restorable = restoreUntil != null && restoreUntil.isAfter(now);
		return new ConnectorCard(connector.getIntegrationType(), name, connector.getId(), Badge.of(status),
				detail(connection, restorable, restoreUntil), (connection != null) ? connection.accountEmail() : null,
				connector.getScopes(), granted, missing,
				(connection != null) ? ConsoleViews.time(connection.authorizedAt()) : null,
				(connection != null && connection.authorizedAt() != null)
						? ConsoleViews.expiry(connection.expiresAt(), now) : null,
				(connection != null && connection.authorizedAt() != null)
						? orNever(ConsoleViews.time(connection.lastRefreshedAt())) : null,
				endUserSummary(endUsers), (connection != null) ? connection.version() : null, oauth,
				status == ConnectionStatus.ACTIVE || status == ConnectionStatus.EXPIRED, restorable,
				ConsoleViews.time(restoreUntil));
	}

	private static String detail(ConnectionView connection, boolean restorable, Instant restoreUntil) {
		if (connection == null) {
			return "No account has been connected yet.";
		}
		return switch (connection.status()) {
			case DISCONNECTED -> restorable
					? "Not served to the app. Can be restored until " + ConsoleViews.time(restoreUntil) + "."
					: "Not served to the app. The grace period is over: it will be deleted and revoked.";
			case PENDING -> (connection.statusReason() != null) ? connection.statusReason()
					: "No account has been connected yet.";
			default -> connection.statusReason();
		};
	}

	private static String endUserSummary(Map<ConnectionStatus, Long> counts) {
		if (counts == null || counts.isEmpty()) {
			return "None";
		}
		return counts.entrySet()
			.stream()
			.map((entry) -> entry.getValue() + " " + Badge.of(entry.getKey()).label().toLowerCase())
			.collect(Collectors.joining(", "));
	}

	private static String orNever(String time) {
		return (time != null) ? time : "Never";
	}

}
