package io.tokenbroker.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium from the operating system's packages, driven through the system chromedriver: no browser is
 * downloaded at test time (both paths are explicit, so Selenium Manager never runs). One fresh browser and profile per
 * test; on failure a screenshot and the page's HTML go to {@code target/browser-failures/}. Every page the test saw is
 * kept, so a test can check what any of them contained.
 */
public class Browser implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

	public static final String CHROMIUM = "/usr/bin/chromium";

	public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Path FAILURES = Path.of("target", "browser-failures");

	private final boolean javascript;

	private final int width;

	private ChromeDriver driver;

	private Path profile;

	private final List<String> pages = new ArrayList<>();

	private Browser(boolean javascript, int width) {
		this.javascript = javascript;
		this.width = width;
	}

	/** A browser with JavaScript switched off: the pages must work without it. */
	public static Browser withoutJavaScript() {
		return new Browser(false, 1280);
	}

	/** A browser with JavaScript on, for pages that need it (an app's own frontend). */
	public static Browser withJavaScript() {
		return new Browser(true, 1280);
	}

	/** A browser with JavaScript on (for the test to measure the layout) and a window {@code width} pixels wide. */
	public static Browser measuring(int width) {
		return new Browser(true, width);
	}

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver: "
					+ "apt-get install -y chromium chromium-driver (.ci/run installs them)");
		}
		this.profile = Files.createTempDirectory("broker-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-quic", "--user-data-dir=" + this.profile, "--window-size=" + this.width + ",900");
		if (this.width < 500) {
			// Desktop Chromium windows are at least 500 pixels wide: a phone-sized viewport needs device emulation.
			options.setExperimentalOption("mobileEmulation",
					Map.of("deviceMetrics", Map.of("width", this.width, "height", 1800, "pixelRatio", 1.0)));
		}
		if (!this.javascript) {
			options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
		}
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
	}

	@Override
	public void afterTestExecution(ExtensionContext context) throws IOException {
		if (context.getExecutionException().isPresent() && this.driver != null) {
			Files.createDirectories(FAILURES);
			String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
			Path screenshot = FAILURES.resolve(name + ".png");
			Files.write(screenshot, this.driver.getScreenshotAs(OutputType.BYTES));
			Files.writeString(FAILURES.resolve(name + ".html"),
					this.driver.getCurrentUrl() + "\n" + this.driver.getPageSource(), StandardCharsets.UTF_8);
			System.err.println("Browser screenshot of the failure: " + screenshot.toAbsolutePath());
		}
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		if (this.driver != null) {
			this.driver.quit();
		}
		if (this.profile != null) {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	public void open(String url) {
		this.driver.get(url);
		keepPage();
	}

	/** Clicks an element that navigates, waits until the next page replaced this one, and keeps it. */
	public void click(By by) {
		WebElement page = this.driver.findElement(By.tagName("html"));
		this.driver.findElement(by).click();
		new WebDriverWait(this.driver, Duration.ofSeconds(30)).until((driver) -> replaced(page));
		keepPage();
	}

	/**
	 * Whether the page is gone. Chromium reports an element of a page that was just replaced either as stale or, while
	 * the new document is being attached, as a node that "does not belong to the document".
	 */
	private static boolean replaced(WebElement page) {
		try {
			page.isEnabled();
			return false;
		}
		catch (org.openqa.selenium.StaleElementReferenceException ex) {
			return true;
		}
		catch (org.openqa.selenium.WebDriverException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("does not belong to the document")) {
				return true;
			}
			throw ex;
		}
	}

	public WebElement find(By by) {
		return this.driver.findElement(by);
	}

	/** The element's visible text, with runs of white space (line breaks between flex items) as one space. */
	public String text(By by) {
		return this.driver.findElement(by).getText().replaceAll("\\s+", " ").strip();
	}

	public String url() {
		return this.driver.getCurrentUrl();
	}

	/** The HTML of every page this browser showed, in order. */
	public List<String> pagesSeen() {
		return List.copyOf(this.pages);
	}

	/** The browser console's messages so far (Content-Security-Policy violations are reported there). */
	public List<String> consoleMessages() {
		return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
	}

	public void screenshot(String name) {
		try {
			Files.createDirectories(Path.of("target", "browser-screenshots"));
			Files.write(Path.of("target", "browser-screenshots", name + ".png"),
					this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void keepPage() {
		this.pages.add(this.driver.getPageSource());
	}

}
