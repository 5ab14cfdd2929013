package io.tokenbroker.compat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.tokenbroker.authflow.ConnectorSetup;
import io.tokenbroker.catalog.ProviderCatalog;
import io.tokenbroker.connection.AccessGrant;
import io.tokenbroker.connection.ConnectionRef;
import io.tokenbroker.connection.TokenService;
import io.tokenbroker.connector.Connector;
import io.tokenbroker.connector.ConnectorService;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ErrorCodes;
import io.tokenbroker.security.RequiresScope;
import io.tokenbroker.security.Scopes;
import io.tokenbroker.security.ServiceCaller;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CLI's Stripe routes (C6–C8) over the app's {@code stripe} API-key connector. Installed means the connector holds
 * a usable key; its mode follows the key ({@code sk_live_}/{@code rk_live_} → live, else sandbox). The broker never
 * provisions Stripe accounts.
 */
@RestController
@RequestMapping("/api/apps/{appId}/payments/stripe")
class StripeController {

	static final String STRIPE = "stripe";

	private final ConnectorService connectors;

	private final TokenService tokens;

	private final ConnectorSetup setup;

	private final ProviderCatalog catalog;

	StripeController(ConnectorService connectors, TokenService tokens, ConnectorSetup setup, ProviderCatalog catalog) {
		this.connectors = connectors;
		this.tokens = tokens;
		this.setup = setup;
		this.catalog = catalog;
	}

	/** C6: always answers, with {@code stripe_mode: null} when the app has no Stripe key. */
	@RequiresScope({ Scopes.READ, Scopes.ADMIN })
	@GetMapping("/status")
	Map<String, String> status(ServiceCaller caller, @PathVariable String appId) {
		AppGuard.check(appId, caller.appId());
		Map<String, String> body = new LinkedHashMap<>();
		body.put("stripe_mode", mode(appId).orElse(null));
		body.put("sandbox_claim_url", null);
		return body;
	}

	/**
	 * C7: nothing to do when the app has a key; the operator's default key when one is configured (as the native PUT
	 * does); otherwise a 409 that says how to supply a key. The broker never provisions Stripe accounts.
	 */
	@RequiresScope(Scopes.ADMIN)
	@PostMapping("/install")
	Map<String, Object> install(ServiceCaller caller, @PathVariable String appId) {
		AppGuard.check(appId, caller.appId());
		boolean installed = mode(appId).isPresent();
		if (!installed) {
			boolean operatorKey = this.catalog.find(STRIPE)
				.map((p) -> p.apiKey() != null && p.apiKey().operatorKey() != null)
				.orElse(false);
			if (!operatorKey) {
				throw new BrokerException(HttpStatus.CONFLICT, ErrorCodes.STRIPE_KEY_REQUIRED,
						"This broker does not create Stripe accounts; Stripe connects with your own secret key. "
								+ "Set it with PUT /connectors/stripe {\"apiKey\": \"sk_...\"} (or ask the operator "
								+ "for a default key, broker.providers.stripe.api-key), then push again.");
			}
			this.setup.save(appId, STRIPE, null, null, null);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("already_installed", installed);
		body.put("claim_url", null);
		return body;
	}

	/** C8: removes the Stripe connector (idempotent; recoverable within the grace period, as every removal). */
	@RequiresScope(Scopes.ADMIN)
	@DeleteMapping
	Map<String, Boolean> remove(ServiceCaller caller, @PathVariable String appId) {
		AppGuard.check(appId, caller.appId());
		this.connectors.find(appId, STRIPE).ifPresent(this.connectors::remove);
		return Map.of("success", true);
	}

	private Optional<String> mode(String appId) {
		Optional<Connector> connector = this.connectors.find(appId, STRIPE);
		if (connector.isEmpty()) {
			return Optional.empty();
		}
		try {
			AccessGrant grant = this.tokens.accessGrant(ConnectionRef.ofType(appId, STRIPE));
			String key = grant.accessToken();
			return Optional.of((key.startsWith("sk_live_") || key.startsWith("rk_live_")) ? "live" : "sandbox");
		}
		catch (BrokerException ex) {
			return Optional.empty();
		}
	}

}
