package io.tokenbroker.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import io.tokenbroker.support.Browser;
import io.tokenbroker.support.H2BrokerTestBase;
import io.tokenbroker.support.OAuthDance;
import io.tokenbroker.support.ServiceTokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The connect flow in a real browser with JavaScript switched off, as an operator meets it in dev mode: the console,
 * the sandbox's consent page, the page after the callback, and back.
 */
class ConnectFlowInBrowserTests extends H2BrokerTestBase {

	@RegisterExtension
	final Browser browser = Browser.withoutJavaScript();

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void connectThroughTheConsentPageThenDisconnectAndRestoreInTheConsole() {
		openApp("browser-flow");
		assertThat(this.browser.text(By.id("operator"))).contains("Signed in as Developer");
		this.browser.click(By.id("connect-sandbox"));

		assertThat(this.browser.driver().getTitle()).isEqualTo("Sign in with Sandbox");
		assertThat(this.browser.text(By.id("scopes"))).contains("See your name and email address")
			.contains("View your calendars");
		this.browser.find(By.cssSelector("label[for=account-1]")).click();
		this.browser.screenshot("consent");
		this.browser.click(By.id("approve"));

		Map<String, String> callback = OAuthDance.query(this.browser.url());
		assertThat(this.browser.text(By.id("heading"))).isEqualTo("Connected to Sandbox (dev mode)");
		assertThat(this.browser.text(By.id("outcome"))).isEqualTo("✓ Connected");
		assertThat(this.browser.text(By.id("account"))).isEqualTo("bob@sandbox.test");
		assertThat(this.browser.text(By.id("return"))).isEqualTo("Back to the operator console");
		this.browser.screenshot("connected");
		this.browser.click(By.id("return"));

		assertThat(this.browser.text(By.id("callback-notice"))).isEqualTo("Sandbox (dev mode) is connected.");
		assertThat(this.browser.text(By.id("status-sandbox"))).isEqualTo("✓ Active");
		assertThat(this.browser.text(By.id("account-sandbox"))).isEqualTo("bob@sandbox.test");
		String token = ServiceTokens.forApp("browser-flow");
		String accessToken = client().get("/connectors/sandbox/connection", token).json().get("accessToken")
			.asString();

		this.browser.click(By.id("disconnect-sandbox"));
		this.browser.screenshot("console-disconnected");
		assertThat(this.browser.text(By.id("notice"))).startsWith("Sandbox (dev mode) is disconnected.");
		assertThat(this.browser.text(By.id("status-sandbox"))).isEqualTo("‖ Disconnected");
		assertThat(this.browser.text(By.id("detail-sandbox"))).startsWith("Not served to the app. Can be restored");
		assertThat(client().get("/connectors/sandbox/connection", token).json().get("code").asString())
			.isEqualTo("not_connected");

		this.browser.click(By.id("restore-sandbox"));
		assertThat(this.browser.text(By.id("notice"))).contains("is restored");
		assertThat(this.browser.text(By.id("status-sandbox"))).isEqualTo("✓ Active");
		assertThat(client().get("/connectors/sandbox/connection", token).json().get("accessToken").asString())
			.isEqualTo(accessToken);

		assertThat(this.browser.pagesSeen()).hasSizeGreaterThanOrEqualTo(6).allSatisfy((html) -> assertThat(html)
			.doesNotContain(accessToken)
			.doesNotContain("sandbox-at-")
			.doesNotContain("sandbox-rt-")
			.doesNotContain(callback.get("code")));
		// The provider's consent form carries the state back, as any provider's does; the broker's pages never show it.
		assertThat(this.browser.pagesSeen()).filteredOn((html) -> !html.contains("<title>Sign in with Sandbox"))
			.hasSizeGreaterThanOrEqualTo(5)
			.allSatisfy((html) -> assertThat(html).doesNotContain(callback.get("state")));
	}

	@Test
	void deniedConsentShowsTheFailurePageAndTheConsoleSaysSo() {
		openApp("browser-denied");
		this.browser.click(By.id("connect-sandbox"));
		this.browser.click(By.id("deny"));

		assertThat(this.browser.text(By.id("heading"))).isEqualTo("Sandbox (dev mode) was not connected");
		assertThat(this.browser.text(By.id("outcome"))).isEqualTo("✕ Not connected");
		assertThat(this.browser.text(By.id("lead"))).startsWith("Access was not granted");
		assertThat(this.browser.text(By.id("error-code"))).contains("access_denied");
		this.browser.click(By.id("return"));

		assertThat(this.browser.text(By.id("callback-notice")))
			.isEqualTo("Sandbox (dev mode) was not connected (access_denied).");
		assertThat(this.browser.text(By.id("status-sandbox"))).isEqualTo("… Waiting for authorization");
	}

	@Test
	void expiredLinkShowsTheExpiredLinkPage() {
		openApp("browser-expired");
		this.browser.click(By.id("connect-sandbox"));
		this.jdbc.update("update oauth_state set expires_at = dateadd('MINUTE', -1, current_timestamp) "
				+ "where app_id = ?", "browser-expired");
		this.browser.click(By.id("approve"));

		assertThat(this.browser.text(By.id("heading"))).isEqualTo("This link has expired");
		assertThat(this.browser.text(By.id("outcome"))).isEqualTo("↻ Link expired");
		assertThat(this.browser.text(By.id("lead"))).contains("Sandbox (dev mode) account was not connected");
		assertThat(this.browser.text(By.id("next"))).isEqualTo("Go back to the app and start connecting again.");
		assertThat(this.browser.find(By.id("return")).getAttribute("href")).contains("error=link_expired");
	}

	@Test
	void consentWithAnotherAccountThatIsNotAnAddressAsksAgainOnTheSamePage() {
		openApp("browser-other");
		this.browser.click(By.id("connect-sandbox"));
		this.browser.find(By.cssSelector("label[for=account-other]")).click();
		this.browser.find(By.id("other-account")).sendKeys("dana@example.org");
		this.browser.click(By.id("approve"));
		assertThat(this.browser.text(By.id("account"))).isEqualTo("dana@example.org");
	}

	@Test
	void everyPageLoadsItsStylesheetWithoutContentSecurityPolicyViolations() {
		openApp("browser-csp");
		this.browser.click(By.id("connect-sandbox"));
		assertThat(this.browser.find(By.id("approve")).getCssValue("background-color"))
			.isNotEqualTo("rgba(0, 0, 0, 0)");
		this.browser.click(By.id("approve"));
		assertThat(this.browser.find(By.id("return")).getCssValue("background-color"))
			.isNotEqualTo("rgba(0, 0, 0, 0)");
		assertThat(this.browser.consoleMessages()).noneMatch((message) -> message.contains("Content Security Policy"));
	}

	@Test
	void everyFormFieldHasALabel() {
		openApp("browser-labels");
		assertLabelled();
		this.browser.click(By.id("connect-sandbox"));
		assertLabelled();
	}

	@Test
	void keyboardFocusFollowsTheReadingOrder() {
		openApp("browser-focus");
		this.browser.open(client().baseUrl() + "/console?app=browser-focus");
		assertThat(tabTo()).isEqualTo("Skip to the content");
		this.browser.click(By.id("connect-sandbox"));
		// The account group is one stop (its chosen account), then the other address, then Deny before Approve.
		assertThat(List.of(tabTo(), tabTo(), tabTo(), tabTo())).containsExactly("account-0", "other-account", "deny",
				"approve");
	}

	/** Presses Tab and names what got the focus: its id, or its text when it has none. */
	private String tabTo() {
		new Actions(this.browser.driver()).sendKeys(Keys.TAB).perform();
		WebElement focused = this.browser.driver().switchTo().activeElement();
		String id = focused.getAttribute("id");
		return (id != null && !id.isEmpty()) ? id : focused.getText();
	}

	private void assertLabelled() {
		for (var field : this.browser.driver().findElements(By.cssSelector("input:not([type=hidden]), select"))) {
			String id = field.getAttribute("id");
			assertThat(id).as("field " + field.getAttribute("name") + " has an id").isNotBlank();
			assertThat(this.browser.driver().findElements(By.cssSelector("label[for='" + id + "']")))
				.as("label for " + id)
				.isNotEmpty();
		}
	}

	/** Opens the console (signed in automatically in dev mode) on an app chosen by its id. */
	private void openApp(String appId) {
		this.browser.open(client().baseUrl() + "/console");
		this.browser.find(By.id("app-id")).sendKeys(appId);
		this.browser.click(By.id("open-app-id"));
		assertThat(this.browser.text(By.id("app-heading"))).isEqualTo("App: " + appId);
	}

}
