package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;

/** A handler's declared rule decides who may call it; a handler that declares none, or two, is refused to everyone. */
class RouteAccessTests {

	private final RouteAccess access = new RouteAccess();

	@AfterEach
	void forgetTheCaller() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aRouteWithoutARuleIsRefusedEvenToACallerWithEveryScope() {
		assertThat(admits("undeclared", service(Scopes.READ, Scopes.ADMIN, Scopes.OPERATOR))).isFalse();
		assertThat(admits("undeclared", endUser())).isFalse();
	}

	@Test
	void aRouteWithTwoRulesIsRefusedToEveryone() {
		assertThat(admits("twoRules", service(Scopes.ADMIN))).isFalse();
		assertThat(admits("twoRules", anonymous())).isFalse();
	}

	@Test
	void aScopeRuleAdmitsCredentialsWithOneOfItsScopesOnly() {
		assertThat(admits("readOrAdmin", service(Scopes.READ))).isTrue();
		assertThat(admits("readOrAdmin", service(Scopes.ADMIN))).isTrue();
		assertThat(admits("admin", service(Scopes.READ))).isFalse();
		assertThat(admits("admin", service())).isFalse();
		assertThat(admits("admin", anonymous())).isFalse();
	}

	@Test
	void endUserRoutesAdmitOnlyEndUsersAndScopeRulesNeverAdmitThem() {
		assertThat(admits("endUser", endUser())).isTrue();
		assertThat(admits("endUser", service(Scopes.READ, Scopes.ADMIN))).isFalse();
		assertThat(admits("readOrAdmin", endUser())).isFalse();
	}

	@Test
	void anyServiceCallerAdmitsServiceCredentialsWithoutScopesButNeitherAnonymousCallersNorEndUsers() {
		assertThat(admits("anyService", service())).isTrue();
		assertThat(admits("anyService", anonymous())).isFalse();
		assertThat(admits("anyService", endUser())).isFalse();
	}

	@Test
	void aPublicRouteAdmitsAnonymousCallers() {
		assertThat(admits("open", anonymous())).isTrue();
	}

	@Test
	void authorityRulesAdmitHoldersOfTheAuthority() {
		assertThat(admits("operators", new TestingAuthenticationToken("op", null, "CONSOLE_OPERATOR"))).isTrue();
		assertThat(admits("operators", service(Scopes.ADMIN))).isFalse();
	}

	@Test
	void handlersOfLibrariesAreLeftToTheFilterChains() throws Exception {
		SecurityContextHolder.getContext().setAuthentication(anonymous());
		HandlerMethod library = new HandlerMethod("library", String.class.getMethod("length"));
		assertThat(this.access.preHandle(new MockHttpServletRequest(), new MockHttpServletResponse(), library))
			.isTrue();
	}

	private boolean admits(String route, Authentication caller) {
		SecurityContextHolder.getContext().setAuthentication(caller);
		try {
			HandlerMethod handler = new HandlerMethod(new Routes(), Routes.class.getDeclaredMethod(route));
			return this.access.preHandle(new MockHttpServletRequest(), new MockHttpServletResponse(), handler);
		}
		catch (AccessDeniedException ex) {
			return false;
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalArgumentException(route, ex);
		}
	}

	private static Authentication service(String... scopes) {
		return new TestingAuthenticationToken("service", null,
				Arrays.stream(scopes).map((s) -> "SCOPE_" + s).toArray(String[]::new));
	}

	private static Authentication endUser() {
		return new TestingAuthenticationToken("user", null, AppUserResolver.AUTHORITY);
	}

	private static Authentication anonymous() {
		return new AnonymousAuthenticationToken("key", "anonymousUser",
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
	}

	static class Routes {

		void undeclared() {
		}

		@PublicRoute
		@RequiresScope(Scopes.ADMIN)
		void twoRules() {
		}

		@RequiresScope({ Scopes.READ, Scopes.ADMIN })
		void readOrAdmin() {
		}

		@RequiresScope(Scopes.ADMIN)
		void admin() {
		}

		@EndUserRoute
		void endUser() {
		}

		@AnyServiceCaller
		void anyService() {
		}

		@PublicRoute
		void open() {
		}

		@RequiresAuthority("CONSOLE_OPERATOR")
		void operators() {
		}

	}

}
