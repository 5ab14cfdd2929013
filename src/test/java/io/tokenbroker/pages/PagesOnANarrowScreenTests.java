package io.tokenbroker.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import io.tokenbroker.support.Browser;
import io.tokenbroker.support.H2BrokerTestBase;

/** The pages at 320 CSS pixels wide, the narrowest phones: nothing may need sideways scrolling. */
class PagesOnANarrowScreenTests extends H2BrokerTestBase {

	@RegisterExtension
	final Browser browser = Browser.measuring(320);

	@Test
	void consoleConsentAndCompletionPagesFitA320PixelWideScreen() {
		this.browser.open(client().baseUrl() + "/console?app=narrow-screen");
		assertFits("console");
		this.browser.click(By.id("connect-sandbox"));
		assertFits("consent");
		this.browser.click(By.id("approve"));
		assertFits("completion");
		this.browser.click(By.id("return"));
		assertFits("console-with-connector");
	}

	private void assertFits(String page) {
		this.browser.screenshot("narrow-" + page);
		Object width = this.browser.driver().executeScript("return window.innerWidth");
		Object scrollWidth = this.browser.driver().executeScript("return document.documentElement.scrollWidth");
		assertThat(((Number) width).intValue()).isLessThanOrEqualTo(320);
		assertThat(((Number) scrollWidth).intValue()).as(page + " scroll width").isLessThanOrEqualTo(
				((Number) width).intValue());
	}

}
