package io.tokenbroker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.ServiceTokens;
import io.tokenbroker.support.UserTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route declares beside itself who may call it, and the broker holds each route to its declaration: anonymous
 * callers, end users on service routes, services on end-user routes and credentials without the scope are refused with
 * problems before the request is read. With every optional route switched on (dev mode, the benchmark's ceiling).
 */
@TestPropertySource(properties = "broker.bench.ceiling-endpoint=true")
class RouteRulesTests extends H2BrokerTestBase {

	@Autowired
	List<RequestMappingHandlerMapping> mappings;

	@Test
	void everyRouteOfTheBrokerDeclaresExactlyOneRule() {
		List<Route> routes = routes(Route::ours);
		assertThat(routes).hasSizeGreaterThan(40);
		assertThat(routes).filteredOn((route) -> route.rules().size() != 1).isEmpty();
	}

	@Test
	void theOnlyRoutesOfLibrariesAreTheOpenApiDocumentAndSwaggerUiWhichNeedNoCredential() {
		assertThat(routes((route) -> !route.ours() && !route.errorPage()))
			.allSatisfy((route) -> assertThat(route.handler().getBeanType().getName()).startsWith("org.springdoc."));
		assertThat(client().get("/v3/api-docs", null).status()).isEqualTo(200);
	}

	@Test
	void everyRouteButThePublicOnesRefusesAnAnonymousCallerWithAProblem401() {
		SoftAssertions softly = new SoftAssertions();
		for (Route route : routes((route) -> route.ours() && !route.declares(PublicRoute.class) && !route.console())) {
			assertRefused(softly, route, send(route, null), 401, "unauthorized");
		}
		softly.assertAll();
	}

	@Test
	void everyServiceRouteRefusesAnEndUsersToken() {
		String endUser = UserTokens.forUser("x", "user-1");
		SoftAssertions softly = new SoftAssertions();
		for (Route route : routes((route) -> route.declares(RequiresScope.class)
				|| route.declares(AnyServiceCaller.class))) {
			assertRefused(softly, route, send(route, endUser), 401, "unauthorized");
		}
		softly.assertAll();
	}

	@Test
	void everyEndUserRouteRefusesAServiceToken() {
		String service = ServiceTokens.forApp("x");
		List<Route> routes = routes((route) -> route.declares(EndUserRoute.class));
		assertThat(routes).hasSize(5);
		SoftAssertions softly = new SoftAssertions();
		for (Route route : routes) {
			assertRefused(softly, route, send(route, service), 401, "unauthorized");
		}
		softly.assertAll();
	}

	@Test
	void everyScopedRouteRefusesACredentialWithoutTheScopeWithAProblem403BeforeReadingTheRequest() {
		String unscoped = ServiceTokens.forApp("x", "profile");
		SoftAssertions softly = new SoftAssertions();
		for (Route route : routes((route) -> route.declares(RequiresScope.class))) {
			assertRefused(softly, route, send(route, unscoped), 403, "forbidden");
		}
		softly.assertAll();
	}

	@Test
	void publicRoutesAreAnsweredWithoutACredential() {
		SoftAssertions softly = new SoftAssertions();
		for (Route route : routes((route) -> route.declares(PublicRoute.class) && !route.console())) {
			BrokerClient.Response response = send(route, null);
			// The dev sandbox provider answers 401 itself, in OAuth's words, to a client it does not know.
			boolean refusedByTheBroker = (response.status() == 401 || response.status() == 403)
					&& String.valueOf(response.contentType()).startsWith("application/problem+json");
			softly.assertThat(refusedByTheBroker).as(route + " " + response).isFalse();
		}
		softly.assertAll();
	}

	private static void assertRefused(SoftAssertions softly, Route route, BrokerClient.Response response, int status,
			String code) {
		softly.assertThat(response.status()).as(route + " " + response).isEqualTo(status);
		if (response.status() == status) {
			softly.assertThat(response.contentType()).as(route.toString()).startsWith("application/problem+json");
			softly.assertThat(response.json().get("code").asString()).as(route.toString()).isEqualTo(code);
			softly.assertThat(response.json().has("message")).as(route.toString())
				.isEqualTo(route.pattern().startsWith("/api/"));
		}
	}

	private BrokerClient.Response send(Route route, String token) {
		String path = route.pattern().replaceAll("\\{[^}]+}", "x");
		return client().send(client().request(path, token)
			.method(route.method().name(), HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private List<Route> routes(Predicate<Route> filter) {
		List<Route> routes = new ArrayList<>();
		this.mappings.forEach((mapping) -> mapping.getHandlerMethods().forEach((info, handler) -> {
			List<RequestMethod> methods = info.getMethodsCondition().getMethods().isEmpty()
					? List.of(RequestMethod.GET) : List.copyOf(info.getMethodsCondition().getMethods());
			for (String pattern : info.getPatternValues()) {
				methods.forEach((method) -> routes.add(new Route(method, pattern, handler)));
			}
		}));
		return routes.stream().filter(filter).toList();
	}

	record Route(RequestMethod method, String pattern, HandlerMethod handler) {

		/** The broker's own handlers; its error page is the servlet container's and open like it. */
		boolean ours() {
			return this.handler.getBeanType().getName().startsWith("io.tokenbroker.") && !errorPage();
		}

		boolean errorPage() {
			return ErrorController.class.isAssignableFrom(this.handler.getBeanType());
		}

		/** The console's pages have a chain of their own, with a session and a sign-in page. */
		boolean console() {
			return this.pattern.startsWith("/console");
		}

		List<Class<? extends Annotation>> rules() {
			return RouteAccess.RULES.stream().filter(this::declares).toList();
		}

		boolean declares(Class<? extends Annotation> rule) {
			return ours() && AnnotatedElementUtils.hasAnnotation(this.handler.getMethod(), rule);
		}

		@Override
		public String toString() {
			return this.method + " " + this.pattern + " (" + this.handler.getShortLogMessage() + ")";
		}

	}

}
