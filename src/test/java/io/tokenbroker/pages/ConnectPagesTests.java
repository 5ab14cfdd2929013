package io.tokenbroker.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tokenbroker.support.BrokerClient;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.Sandbox;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The pages a person meets while connecting an account, read over plain HTTP: words, links and headers. */
class ConnectPagesTests extends H2BrokerTestBase {

	private static final String RETURN_URL = "https://app.example.com/done";

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void completionPageNamesServiceAndAccountAndLinksBackWithTheOutcome() {
		Start start = start("pages-connected", RETURN_URL);
		BrokerClient.Response page = client().getUrl(Sandbox.callbackUrl(client(), start.redirectUrl(), "approve"),
				"text/html");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Connected to Sandbox (dev mode)")
			.contains("alice@sandbox.test")
			.contains("What to do next")
			.contains("href=\"" + RETURN_URL + "?status=connected&amp;integration_type=sandbox&amp;connector_id="
					+ start.connectorId() + "\"");
	}

	@Test
	void completionPageWithoutReturnUrlSaysTheWindowCanBeClosed() {
		Start start = start("pages-no-return", null);
		BrokerClient.Response page = client().getUrl(Sandbox.callbackUrl(client(), start.redirectUrl(), "approve"),
				"text/html");
		assertThat(page.body()).contains("You can close this window").doesNotContain("id=\"return\"");
	}

	@Test
	void deniedConsentPageExplainsInPlainWordsAndLinksBackWithTheError() {
		Start start = start("pages-denied", RETURN_URL);
		BrokerClient.Response page = client().getUrl(Sandbox.callbackUrl(client(), start.redirectUrl(), "deny"),
				"text/html");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Sandbox (dev mode) was not connected")
			.contains("Access was not granted")
			.contains("&amp;error=access_denied\"");
	}

	@Test
	void expiredLinkPageNamesTheServiceAndLinksBack() {
		Start start = start("pages-expired", RETURN_URL);
		String callback = Sandbox.callbackUrl(client(), start.redirectUrl(), "approve");
		this.jdbc.update("update oauth_state set expires_at = dateadd('MINUTE', -1, current_timestamp) "
				+ "where app_id = ?", "pages-expired");
		BrokerClient.Response page = client().getUrl(callback, "text/html");
		assertThat(page.status()).isEqualTo(400);
		assertThat(page.body()).contains("This link has expired")
			.contains("Sandbox (dev mode)")
			.contains("status=failed")
			.contains("error=link_expired");
	}

	@Test
	void pagesSendAStrictContentSecurityPolicyNoReferrerAndNoStore() {
		Start start = start("pages-headers", RETURN_URL);
		BrokerClient.Response consent = client().getUrl(start.redirectUrl(), "text/html");
		BrokerClient.Response callback = client()
			.getUrl(Sandbox.callbackUrl(client(), start.redirectUrl(), "approve"), "text/html");
		for (BrokerClient.Response page : new BrokerClient.Response[] { consent, callback }) {
			assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'")
				.contains("style-src 'self'")
				.contains("frame-ancestors 'none'")
				.doesNotContain("unsafe-inline")
				.doesNotContain("script-src");
			assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(page.header("Cache-Control")).contains("no-store");
			assertThat(page.body()).doesNotContain("<script").doesNotContain("style=").doesNotContain("<style");
		}
		assertThat(callback.header("Content-Security-Policy")).contains("form-action 'none'");
	}

	@Test
	void pagesLoadOnlyTheBrokersOwnStylesheet() {
		Start start = start("pages-assets", null);
		BrokerClient.Response consent = client().getUrl(start.redirectUrl(), "text/html");
		assertThat(consent.body()).contains("<link rel=\"stylesheet\" href=\"/assets/broker.css\">")
			.doesNotContainPattern("(src|href)=\"(https?:)?//");
		BrokerClient.Response css = client().getUrl(client().baseUrl() + "/assets/broker.css", null);
		assertThat(css.status()).isEqualTo(200);
		assertThat(css.contentType()).startsWith("text/css");
		assertThat(css.body()).doesNotContain("@import").doesNotContain("url(");
	}

	@Test
	void completionPageNeverShowsTheCodeTheStateOrATokenGrant() {
		String token = ServiceTokens.forApp("pages-secrets");
		Start start = start("pages-secrets", RETURN_URL);
		String callback = Sandbox.callbackUrl(client(), start.redirectUrl(), "approve");
		var query = OAuthDance.query(callback);
		BrokerClient.Response page = client().getUrl(callback, "text/html");
		String accessToken = client().get("/connectors/sandbox/connection", token).json().get("accessToken")
			.asString();
		assertThat(page.body()).doesNotContain(query.get("code"))
			.doesNotContain(query.get("state"))
			.doesNotContain(accessToken)
			.doesNotContain("sandbox-at-")
			.doesNotContain("sandbox-rt-");
	}

	@Test
	void consentWithAnotherAccountConnectsThatAccount() {
		Start start = start("pages-other-account", null);
		BrokerClient.Response answer = Sandbox.decide(client(), start.redirectUrl(), "approve", "other",
				"carol@example.org");
		BrokerClient.Response page = client().getUrl(answer.header("Location"), "text/html");
		assertThat(page.body()).contains("carol@example.org");
	}

	@Test
	void consentWithAnUnusableOtherAccountAsksAgain() {
		Start start = start("pages-bad-account", null);
		BrokerClient.Response answer = Sandbox.decide(client(), start.redirectUrl(), "approve", "other",
				"not an address");
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body()).contains("role=\"alert\"").contains("Choose an account");
		assertThat(answer.header("Location")).isNull();
	}

	private Start start(String appId, String returnUrl) {
		String body = (returnUrl != null) ? "{\"returnUrl\":\"" + returnUrl + "\"}" : "{}";
		BrokerClient.Response put = client().put("/connectors/sandbox", ServiceTokens.forApp(appId), body);
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		return new Start(put.json().get("connectorId").asString(), put.json().get("redirectUrl").asString());
	}

	private record Start(String connectorId, String redirectUrl) {
	}

}
