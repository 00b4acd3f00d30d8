package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless browser: log in, filter the inbox, open a case, decide it, and
 * find the outcome event in the outcomes file; a platform's analyst cannot open another platform's
 * case. Skipped, saying so, only where Chromium is not installed (CI installs it).
 */
class ConsoleBrowserTest {
    @RegisterExtension
    static final ChromiumSession CHROMIUM = new ChromiumSession();

    @TempDir
    static Path dir;
    ChromeDriver browser;

    Path outcomes;
    ConsoleServer server;

    @BeforeEach
    void startServer() throws Exception {
        browser = CHROMIUM.browser();
        Path replay = Files.createTempDirectory(dir, "replay");
        ReplayFolder.writeSample(replay);
        outcomes = replay.resolve("outcomes.jsonl");
        server = ConsoleApiTest.startServer(replay, outcomes);
        browser.manage().deleteAllCookies();
    }

    @org.junit.jupiter.api.AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    void logIn(String user, String password) {
        browser.get(url("/"));
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        assertThat(HeadlessChromium.logIn(browser, url(""), user, password)).isEqualTo(user);
    }

    /** Clicks what submits a form or follows a link and waits until the next page replaced this one. */
    void clickAndWaitForNextPage(WebElement element) {
        WebElement page = browser.findElement(By.tagName("main"));
        element.click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(page));
    }

    List<String> listedCases() {
        return browser.findElements(By.cssSelector("tr.case-row")).stream().map(r -> r.getAttribute("data-alert-id")).toList();
    }

    @Test
    void anOperatorFiltersOpensAndDecidesACaseAndTheOutcomeEventIsWritten() throws Exception {
        logIn("admin", "admin-secret");
        assertThat(listedCases()).containsExactly(ReplayFolder.REPEAT, ReplayFolder.AI_JD, ReplayFolder.REUSE_TB);
        assertThat(browser.findElement(By.id("counts")).getText()).contains("Repeat refunder 1");

        new Select(browser.findElement(By.id("filter-pattern"))).selectByValue("REPEAT_REFUNDER");
        clickAndWaitForNextPage(browser.findElement(By.id("filter-submit")));
        assertThat(listedCases()).containsExactly(ReplayFolder.REPEAT);

        clickAndWaitForNextPage(browser.findElement(By.cssSelector("a.case-link")));
        assertThat(browser.findElement(By.id("summary")).getText())
                .isEqualTo("4 refund-only requests in 30 days on 3 platforms, 3,356.50 CNY, legal tier LARGE (数额较大)");
        assertThat(browser.findElement(By.id("requests")).getText()).contains("J-5521", "2611140190534", "T-8835");
        assertThat(browser.findElement(By.id("undecided")).isDisplayed()).isTrue();

        browser.findElement(By.id("verdict-FRAUD")).click();
        browser.findElement(By.id("note")).sendKeys("four orders, one photo");
        clickAndWaitForNextPage(browser.findElement(By.id("decide")));

        WebElement decision = browser.findElement(By.cssSelector("tr.decision"));
        assertThat(decision.getText()).contains("Confirm fraud", "by admin", "four orders, one photo", "4 outcome events");
        List<String> events = Files.readAllLines(outcomes);
        assertThat(events).hasSize(4).allSatisfy(line -> assertThat(line)
                .contains("\"type\":\"REFUND_OUTCOME\"", "\"verdict\":\"FRAUD\"", "\"source\":\"console:admin\""));

        // Back in the inbox the case is decided, and the language switch relabels it.
        browser.get(url("/?status=decided&lang=zh"));
        assertThat(listedCases()).containsExactly(ReplayFolder.REPEAT);
        assertThat(browser.findElement(By.id("cases")).getText()).contains("确认欺诈");
        browser.get(url("/cases/" + ReplayFolder.REPEAT));
        assertThat(browser.findElement(By.id("summary")).getText())
                .isEqualTo("30天内在3个平台提出4次仅退款申请，3,356.50 CNY，法定档次 LARGE（数额较大）");
        browser.get(url("/?lang=en"));
    }

    @Test
    void theCasePageShowsThePersonsTimelineAcrossTheirTwoCases() throws Exception {
        server.close();
        server = ConsoleApiTest.startServer(TimelineFolder.write(Files.createTempDirectory(dir, "timeline")), outcomes);
        logIn("admin", "admin-secret");
        browser.get(url("/cases/" + ReplayFolder.REPEAT));

        assertThat(browser.findElement(By.id("timeline-words")).getText())
                .isEqualTo("6 requests on 3 platforms, 5,376.50 CNY, across 2 cases, legal tier LARGE (数额较大)");
        List<WebElement> rows = browser.findElements(By.cssSelector("#timeline-entries tr.timeline-entry"));
        assertThat(rows).extracting(r -> r.getAttribute("data-request"))
                .containsExactly("tb:T-8900", "jd:J-5600", "tb:T-8835", "pdd:2611140190534", "jd:J-5521", "tb:T-8810");
        // The request both cases list: one row, both cases linked, its verdict; the other case's own rows are not this case's.
        WebElement shared = rows.get(2);
        assertThat(shared.getAttribute("class")).contains("timeline-current");
        assertThat(rows.get(0).getAttribute("class")).doesNotContain("timeline-current");
        assertThat(shared.findElement(By.className("timeline-verdict")).getText()).isEqualTo("Hold for manual review, score 82");
        assertThat(rows.get(5).findElement(By.className("timeline-verdict")).getText()).isEqualTo("Allow, score 15");
        assertThat(shared.findElements(By.cssSelector(".timeline-cases a"))).extracting(WebElement::getText)
                .containsExactly(ReplayFolder.REPEAT, TimelineFolder.SECOND);

        clickAndWaitForNextPage(shared.findElement(By.linkText(TimelineFolder.SECOND)));
        assertThat(browser.findElement(By.id("alert-id")).getText()).isEqualTo(TimelineFolder.SECOND);
        browser.findElement(By.id("verdict-FRAUD")).click();
        clickAndWaitForNextPage(browser.findElement(By.id("decide")));
        assertThat(browser.findElement(By.cssSelector("#timeline-entries tr[data-request='tb:T-8835'] .timeline-decision"))
                .getText()).startsWith("Confirm fraud by admin");
        assertThat(browser.findElement(By.cssSelector("#timeline-entries tr[data-request='jd:J-5521'] .timeline-decision"))
                .getText()).isEqualTo("not decided");

        browser.get(url("/cases/" + ReplayFolder.REPEAT + "?lang=zh"));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("当事人时间线", "涉及2个案件", "确认欺诈");
        browser.get(url("/?lang=en"));
    }

    @Test
    void aPlatformAnalystSeesOnlyItsPlatformAndCannotOpenAnotherPlatformsCase() {
        logIn("tb", "tb-secret");
        assertThat(listedCases()).containsExactly(ReplayFolder.REPEAT, ReplayFolder.REUSE_TB);

        browser.get(url("/cases/" + ReplayFolder.AI_JD));
        assertThat(browser.findElement(By.id("not-found")).getText()).isEqualTo("404");
        assertThat(browser.getPageSource()).doesNotContain("J-7001");

        browser.get(url("/cases/" + ReplayFolder.REPEAT));
        assertThat(browser.findElement(By.id("requests")).getText()).contains("T-8810").doesNotContain("J-5521");
        assertThat(browser.findElement(By.id("other-platforms")).getText()).contains("jd", "pdd");
    }
}
