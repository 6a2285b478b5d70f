package dev.runnablesystemdesign.guide.site;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built site in a real browser, as a reader uses it: search, the keyboard alone, the theme
 * toggle, copying code; every page without console errors, requests to other origins or axe-core
 * violations, in both themes. Screenshots at phone and desktop widths land in target/screenshots.
 */
class ReaderBrowserIT {

    private static BuiltSite.Server server;
    private ChromeDriver browser;

    @BeforeAll
    static void serve() {
        server = new BuiltSite.Server();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void open() {
        browser = Browser.start(1280, 900);
    }

    @AfterEach
    void close() {
        browser.quit();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private List<WebElement> searchFor(String query) {
        new Actions(browser).sendKeys("/").perform();
        WebElement input = browser.switchTo().activeElement();
        assertEquals("search-input", input.getAttribute("id"), "'/' focuses the search box");
        input.sendKeys(query);
        waiting().until(d -> !d.findElements(By.cssSelector("#search-results li[role=option]")).isEmpty());
        return browser.findElements(By.cssSelector("#search-results li[role=option]"));
    }

    @Test
    void searchingFalsePositiveFindsTheBloomFilterPageFirstWithTheMatchHighlighted() {
        browser.get(server.url("index.html"));
        List<WebElement> results = searchFor("false positive");

        WebElement first = results.get(0);
        assertTrue(first.getAttribute("data-href").endsWith("structures/bloom-filter.html"),
                () -> "first result: " + first.getText());
        assertFalse(first.findElements(By.tagName("mark")).isEmpty(), "the snippet highlights the match");
        assertEquals("false positive", first.findElement(By.tagName("mark")).getText().toLowerCase()
                + (first.findElements(By.tagName("mark")).size() > 1 ? " " + first.findElements(By.tagName("mark")).get(1).getText().toLowerCase() : ""));
    }

    @Test
    void theKeyboardAloneReachesAndOpensASearchResult() {
        browser.get(server.url("caching/eviction-policies.html"));
        List<WebElement> results = searchFor("hyperloglog");
        assertFalse(results.isEmpty());

        WebElement input = browser.switchTo().activeElement();
        input.sendKeys(Keys.ARROW_DOWN);
        assertEquals("search-result-0", input.getAttribute("aria-activedescendant"));
        input.sendKeys(Keys.ENTER);

        waiting().until(ExpectedConditions.urlContains("/structures/hyperloglog.html"));
    }

    @Test
    void theSkipLinkIsTheFirstStopAndMovesFocusToTheContent() {
        browser.get(server.url("caching/eviction-policies.html"));
        new Actions(browser).sendKeys(Keys.TAB).perform();
        WebElement skip = browser.switchTo().activeElement();
        assertEquals("Skip to content", skip.getText());
        skip.sendKeys(Keys.ENTER);
        assertEquals("main", browser.switchTo().activeElement().getAttribute("id"));
    }

    @Test
    void theThemeTogglePinsTheOtherThemeAndTheChoiceSurvivesNavigation() {
        Browser.prefer(browser, "light");
        browser.get(server.url("caching/eviction-policies.html"));
        String lightBackground = background();
        WebElement toggle = browser.findElement(By.id("theme-toggle"));
        assertEquals("Dark theme", toggle.getText());

        toggle.click();
        assertEquals("dark", browser.findElement(By.tagName("html")).getAttribute("data-theme"));
        String darkBackground = background();
        assertNotEquals(lightBackground, darkBackground);

        browser.get(server.url("structures/bloom-filter.html"));
        assertEquals("dark", browser.findElement(By.tagName("html")).getAttribute("data-theme"));
        assertEquals(darkBackground, background());
        assertEquals("Light theme", browser.findElement(By.id("theme-toggle")).getText());
    }

    private String background() {
        return (String) browser.executeScript("return getComputedStyle(document.body).backgroundColor");
    }

    @Test
    void theCopyButtonPutsTheListingOnTheClipboard() {
        browser.get(server.url("structures/bloom-filter.html"));
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.origin(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        WebElement listing = browser.findElement(By.cssSelector(".listingblock"));
        String code = (String) browser.executeScript("return arguments[0].querySelector('pre').innerText", listing);
        WebElement copy = listing.findElement(By.cssSelector("button.copy-button"));

        copy.click();
        waiting().until(d -> copy.getText().equals("Copied"));
        Object copied = browser.executeAsyncScript("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('failed: ' + e))");

        assertEquals(code.replaceAll("\n$", ""), copied);
    }

    @Test
    void everyPageIsCleanInBothThemes() {
        List<String> problems = new ArrayList<>();
        for (String scheme : List.of("light", "dark")) {
            Browser.prefer(browser, scheme);
            for (String page : BuiltSite.pages()) {
                browser.get(server.url(page));
                waiting().until(d -> "complete".equals(browser.executeScript("return document.readyState")));
                for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                    if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                        problems.add(page + " (" + scheme + "): console: " + entry.getMessage());
                    }
                }
                @SuppressWarnings("unchecked")
                List<String> resources = (List<String>) browser.executeScript(
                        "return performance.getEntriesByType('resource').map(e => e.name)");
                resources.stream().filter(r -> !r.startsWith(server.origin() + "/"))
                        .forEach(r -> problems.add(page + ": requested another origin: " + r));
                Results axe = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"))
                        .analyze(browser);
                for (Rule violation : axe.getViolations()) {
                    problems.add(page + " (" + scheme + "): axe " + violation.getId() + ": " + violation.getHelp() + " at "
                            + violation.getNodes().stream().map(n -> String.valueOf(n.getTarget())).limit(3).toList());
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void screenshotsAtPhoneAndDesktopWidths() throws IOException {
        Path folder = Files.createDirectories(Path.of(System.getProperty("guide.root", ".")).resolve("target/screenshots"));
        for (int[] size : new int[][] {{360, 780}, {1280, 900}}) {
            for (String scheme : List.of("light", "dark")) {
                ChromeDriver sized = Browser.start(size[0], size[1]);
                try {
                    Browser.prefer(sized, scheme);
                    sized.get(server.url("structures/bloom-filter.html"));
                    Long width = (Long) sized.executeScript("return document.documentElement.scrollWidth");
                    assertTrue(width <= size[0], "no sideways scrolling at " + size[0] + " px: page is " + width + " px wide");
                    Path shot = folder.resolve("bloom-filter-" + size[0] + "-" + scheme + ".png");
                    Files.write(shot, sized.getScreenshotAs(OutputType.BYTES));
                    assertTrue(Files.size(shot) > 10_000, shot + " looks empty");
                } finally {
                    sized.quit();
                }
            }
        }
    }
}
