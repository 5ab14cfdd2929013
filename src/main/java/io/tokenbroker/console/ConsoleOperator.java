package io.tokenbroker.console;

import java.io.Serializable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who is signed in to the console, and what they may see and do. Stored in the session.
 * @param name how the console names them
 * @param method how they signed in
 * @param appId the one app they may see (a workspace API key), or null for every app
 * @param mayChange whether they may connect, disconnect and restore (a read-only key may only look)
 */
public record ConsoleOperator(String name, SignInMethod method, String appId, boolean mayChange)
		implements Serializable {

	/** The authority every signed-in operator has; the console's routes require it. */
	public static final String AUTHORITY = "CONSOLE_OPERATOR";

	public enum SignInMethod {

		DEV_MODE("dev mode, signed in automatically"), OIDC("identity provider"), API_KEY("workspace API key");

		private final String description;

		SignInMethod(String description) {
			this.description = description;
		}

		public String description() {
			return this.description;
		}

	}

	/** An operator of the whole deployment. */
	public static ConsoleOperator ofDeployment(String name, SignInMethod method) {
		return new ConsoleOperator(name, method, null, true);
	}

	/** Someone who may only see one app, e.g. with that app's workspace API key. */
	public static ConsoleOperator ofApp(String name, String appId, boolean mayChange) {
		return new ConsoleOperator(name, SignInMethod.API_KEY, appId, mayChange);
	}

	public boolean seesEveryApp() {
		return this.appId == null;
	}

	public boolean canSee(String app) {
		return app != null && (this.appId == null || this.appId.equals(app));
	}

	public boolean canChange(String app) {
		return this.mayChange && canSee(app);
	}

	/** The operator behind a console request's authentication (OIDC users are operators of the deployment). */
	static ConsoleOperator of(Authentication authentication) {
		Object principal = (authentication != null) ? authentication.getPrincipal() : null;
		if (principal instanceof ConsoleOperator operator) {
			return operator;
		}
		if (principal instanceof OidcUser user) {
			String name = (user.getEmail() != null) ? user.getEmail() : user.getSubject();
			return ofDeployment(name, SignInMethod.OIDC);
		}
		throw new IllegalStateException("Not a console sign-in");
	}

}
