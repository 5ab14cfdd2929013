package io.tokenbroker.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.tokenbroker.authflow.HtmlPages;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.console.ConsoleSecurityConfiguration.SignInMethods;
import io.tokenbroker.console.ConsoleViews.AuditRow;
import io.tokenbroker.console.ConsoleViews.Failure;
import io.tokenbroker.security.PublicRoute;
import io.tokenbroker.security.ServiceCaller;
import io.tokenbroker.security.RequiresAuthority;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/** The console's pages: sign-in, and one app's connectors, catalog, refresher and audit trail. */
@Controller
class ConsoleController {

	private static final Pattern CODE = Pattern.compile("[a-z0-9_.]{1,64}");

	private static final int MAX_APPS = 500;

	private static final int LIST_LIMIT = 50;

	private final ConsoleOverview overview;

	private final ConnectorService connectors;

	private final ProviderCatalog catalog;

	private final RefresherStatus refresher;

	private final ConsoleAudit audit;

	private final SignInMethods signIn;

	private final HtmlPages pages;

	private final ConsoleWebhooks webhooks;

	ConsoleController(ConsoleOverview overview, ConnectorService connectors, ProviderCatalog catalog,
			RefresherStatus refresher, ConsoleAudit audit, SignInMethods signIn, HtmlPages pages,
			ConsoleWebhooks webhooks) {
		this.webhooks = webhooks;
		this.pages = pages;
		this.overview = overview;
		this.connectors = connectors;
		this.catalog = catalog;
		this.refresher = refresher;
		this.audit = audit;
		this.signIn = signIn;
	}

	@ModelAttribute("stylesheet")
	String stylesheet() {
		return this.pages.stylesheet();
	}

	@PublicRoute
	@GetMapping(ConsoleSecurityConfiguration.LOGIN_PAGE)
	String login(Authentication authentication, @RequestParam(required = false) String error,
			@RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
		if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return "redirect:/console";
		}
		model.addAttribute("signIn", this.signIn);
		model.addAttribute("signedOut", signedOut != null);
		model.addAttribute("error", (error == null) ? null : "api-key".equals(error)
				? "That API key is unknown or revoked." : "Sign-in did not succeed. Your account may not be "
						+ "allowed to use this console; ask the broker's operator.");
		model.addAttribute("apiKeyAction", ApiKeySignInFilter.PATH);
		return "console/login";
	}

	@RequiresAuthority(ConsoleOperator.AUTHORITY)
	@GetMapping("/console")
	String console(Authentication authentication, @RequestParam(required = false) String app,
			@RequestParam(required = false) String status,
			@RequestParam(name = "integration_type", required = false) String integrationType,
			@RequestParam(required = false) String error,
			@RequestParam(name = "audit_action", required = false) String auditAction,
			@RequestParam(name = "audit_outcome", required = false) String auditOutcome,
			@RequestParam(name = "audit_type", required = false) String auditType, Model model) {
		ConsoleOperator operator = ConsoleOperator.of(authentication);
		String selected = operator.seesEveryApp() ? app : operator.appId();
		if (selected != null && (!ServiceCaller.isAppId(selected) || !operator.canSee(selected))) {
			model.addAttribute("problem", "There is no app with that id that you may see.");
			selected = null;
		}
		model.addAttribute("operator", operator);
		model.addAttribute("signOut", !this.signIn.automatic());
		model.addAttribute("apps", apps(operator, selected));
		model.addAttribute("app", selected);
		model.addAttribute("callbackNotice", callbackNotice(status, integrationType, error));
		model.addAttribute("callbackOk", "connected".equals(status));
		if (selected == null) {
			return "console/index";
		}
		model.addAttribute("canChange", operator.canChange(selected));
		model.addAttribute("state", this.overview.read(selected));
		RefresherStatus.Backlog backlog = this.refresher.backlog().orElse(null);
		model.addAttribute("backlog", backlog);
		model.addAttribute("backlogOldest", (backlog != null) ? ConsoleViews.time(backlog.oldestDue()) : null);
		model.addAttribute("failures", failures(selected));
		model.addAttribute("webhooks", this.webhooks.read(selected));
		ConsoleAudit.Query query = new ConsoleAudit.Query(code(auditAction),
				("success".equals(auditOutcome) || "failure".equals(auditOutcome)) ? auditOutcome : null,
				this.catalog.find(String.valueOf(auditType)).isPresent() ? auditType : null, LIST_LIMIT);
		model.addAttribute("auditQuery", query);
		model.addAttribute("auditTypes", this.catalog.all());
		model.addAttribute("audit", this.audit.events(selected, query).map(ConsoleController::auditRows).orElse(null));
		return "console/index";
	}

	private List<String> apps(ConsoleOperator operator, String selected) {
		if (!operator.seesEveryApp()) {
			return List.of(operator.appId());
		}
		List<String> apps = new ArrayList<>(this.connectors.appIds(MAX_APPS));
		if (selected != null && !apps.contains(selected)) {
			apps.add(0, selected);
		}
		return apps;
	}

	private List<Failure> failures(String appId) {
		return this.refresher.recentFailures(appId, LIST_LIMIT)
			.stream()
			.map((f) -> new Failure(f.integrationType(), f.appUserId().isEmpty() ? "App-wide" : f.appUserId(),
					f.reason(), f.permanent() ? "Needs re-authorization" : "Will be retried",
					Optional.ofNullable(ConsoleViews.time(f.at())).orElse("—")))
			.toList();
	}

	private static List<AuditRow> auditRows(List<ConsoleAudit.Entry> entries) {
		return entries.stream()
			.map((e) -> new AuditRow(ConsoleViews.time(e.time()), e.actor(), e.action(), e.integrationType(),
					(e.appUserId() == null || e.appUserId().isEmpty()) ? "App-wide" : e.appUserId(), e.outcome(),
					e.reason()))
			.toList();
	}

	/** The outcome a connection started from the console came back with (the callback page's status parameters). */
	private String callbackNotice(String status, String integrationType, String error) {
		if (status == null || integrationType == null) {
			return null;
		}
		String name = this.catalog.find(integrationType).map((p) -> p.displayName()).orElse(null);
		if (name == null) {
			return null;
		}
		if ("connected".equals(status)) {
			return name + " is connected.";
		}
		String code = code(error);
		return name + " was not connected" + ((code != null) ? " (" + code + ")" : "") + ".";
	}

	private static String code(String value) {
		return (value != null && CODE.matcher(value).matches()) ? value : null;
	}

}
