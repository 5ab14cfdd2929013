package io.tokenbroker.console;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenbroker.authflow.AuthFlowProperties;
import io.tokenbroker.authflow.AuthorizationService;
import io.tokenbroker.authflow.AuthorizationStart;
import io.tokenbroker.authflow.HtmlPages;
import io.tokenbroker.catalog.AuthMode;
import io.tokenbroker.catalog.Provider;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.ConnectionService;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.security.RequiresAuthority;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's actions, each a POST with a CSRF token that answers with a redirect: connect or re-authorize (to the
 * provider, coming back to the console), disconnect and restore (back to the app's page with a notice).
 */
@Controller
class ConsoleActions {

	private static final String CONFIG_PREFIX = "config.";

	private final ConnectorService connectors;

	private final ConnectionService connections;

	private final AuthorizationService authorizations;

	private final ProviderCatalog catalog;

	private final ConsoleAudit audit;

	private final ConsoleProperties properties;

	private final AuthFlowProperties flow;

	private final HtmlPages pages;

	ConsoleActions(ConnectorService connectors, ConnectionService connections, AuthorizationService authorizations,
			ProviderCatalog catalog, ConsoleAudit audit, ConsoleProperties properties, AuthFlowProperties flow,
			HtmlPages pages) {
		this.pages = pages;
		this.connectors = connectors;
		this.connections = connections;
		this.authorizations = authorizations;
		this.catalog = catalog;
		this.audit = audit;
		this.properties = properties;
		this.flow = flow;
	}

	/** Connects a catalog entry (creating the connector with its default scopes) or re-authorizes a connector. */
	@RequiresAuthority(ConsoleOperator.AUTHORITY)
	@PostMapping("/console/connect")
	RedirectView connect(Authentication authentication, @RequestParam String app, @RequestParam String type,
			@RequestParam Map<String, String> form, RedirectAttributes flash) {
		ConsoleOperator operator = requireChange(authentication, app);
		try {
			Provider provider = this.catalog.requireConfigured(type);
			if (provider.authMode() != AuthMode.OAUTH2) {
				throw BrokerException.badRequest(provider.displayName()
						+ " connects with an API key, which the app supplies through the API.");
			}
			Connector connector = this.connectors.find(app, type).orElse(null);
			String action = (connector != null) ? "console.reauthorize" : "console.connect";
			if (connector == null) {
				connector = this.connectors.save(app, type, null, config(form));
			}
			String returnUrl = UriComponentsBuilder.fromUri(this.flow.consoleUrl())
				.queryParam("app", app)
				.encode()
				.build()
				.toUriString();
			AuthorizationStart start = this.authorizations.start(connector, returnUrl);
			record(operator, app, action, type, connector.getId(), null);
			return seeOther(start.redirectUrl().toString());
		}
		catch (BrokerException ex) {
			record(operator, app, "console.connect", type, null, ex.code());
			flash.addFlashAttribute("problem", ex.getMessage());
			return back(app);
		}
	}

	@RequiresAuthority(ConsoleOperator.AUTHORITY)
	@PostMapping("/console/disconnect")
	RedirectView disconnect(Authentication authentication, @RequestParam String app, @RequestParam String type,
			@RequestParam long version, RedirectAttributes flash) {
		ConsoleOperator operator = requireChange(authentication, app);
		try {
			Connector connector = this.connectors.require(app, type);
			ConnectionView connection = appWide(connector);
			this.connections.disconnect(connection.id(), version);
			record(operator, app, "console.disconnect", type, connector.getId(), null);
			flash.addFlashAttribute("notice", name(type) + " is disconnected. The app can no longer get its token; "
					+ "you can restore it for " + days() + ".");
		}
		catch (BrokerException ex) {
			record(operator, app, "console.disconnect", type, null, ex.code());
			flash.addFlashAttribute("problem", ex.getMessage());
		}
		return back(app);
	}

	@RequiresAuthority(ConsoleOperator.AUTHORITY)
	@PostMapping("/console/restore")
	RedirectView restore(Authentication authentication, @RequestParam String app, @RequestParam String type,
			@RequestParam long version, RedirectAttributes flash) {
		ConsoleOperator operator = requireChange(authentication, app);
		try {
			Connector connector = this.connectors.require(app, type);
			ConnectionView connection = appWide(connector);
			this.connections.restore(connection.id(), version, this.properties.restoreGrace());
			record(operator, app, "console.restore", type, connector.getId(), null);
			flash.addFlashAttribute("notice", name(type) + " is restored and served to the app again.");
		}
		catch (BrokerException ex) {
			record(operator, app, "console.restore", type, null, ex.code());
			flash.addFlashAttribute("problem", ex.getMessage());
		}
		return back(app);
	}

	/** Another app's or a read-only operator's change: refused before anything is read or written. */
	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<String> forbidden() {
		return this.pages.message(HttpStatus.FORBIDDEN, "Token Broker console", "Not allowed",
				"Your sign-in does not allow this change. Nothing was changed.");
	}

	private ConsoleOperator requireChange(Authentication authentication, String app) {
		ConsoleOperator operator = ConsoleOperator.of(authentication);
		if (!ServiceCaller.isAppId(app) || !operator.canChange(app)) {
			throw new AccessDeniedException("May not change this app");
		}
		return operator;
	}

	private ConnectionView appWide(Connector connector) {
		return this.connections.findAppWide(connector.getId())
			.orElseThrow(() -> BrokerException.conflict(io.tokenbroker.problem.ErrorCodes.NOT_CONNECTED,
					"This connector has no connected account."));
	}

	private void record(ConsoleOperator operator, String app, String action, String type, String connectorId,
			String reason) {
		this.audit.record(new ConsoleAudit.Action(app, operator.name(), action, type, connectorId, reason == null,
				reason));
	}

	private String name(String type) {
		return this.catalog.find(type).map(Provider::displayName).orElse(type);
	}

	private String days() {
		long days = this.properties.restoreGrace().toDays();
		return (days >= 1) ? days + ((days == 1) ? " day" : " days")
				: this.properties.restoreGrace().toHours() + " hours";
	}

	private static Map<String, String> config(Map<String, String> form) {
		Map<String, String> config = new LinkedHashMap<>();
		form.forEach((name, value) -> {
			if (name.startsWith(CONFIG_PREFIX) && value != null && !value.isBlank()) {
				config.put(name.substring(CONFIG_PREFIX.length()), value.strip());
			}
		});
		return config;
	}

	private static RedirectView back(String app) {
		return seeOther(UriComponentsBuilder.fromPath("/console").queryParam("app", app).encode().build().toUriString());
	}

	private static RedirectView seeOther(String url) {
		RedirectView view = new RedirectView(url, URI.create(url).isAbsolute() ? false : true);
		view.setStatusCode(HttpStatus.SEE_OTHER);
		view.setExposeModelAttributes(false);
		return view;
	}

}
