package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Image cases in a real headless browser: the evidence photo and the listing photo (a catalog
 * match) or the buyer's earlier photo (a reuse) both load, from the console (never from the
 * platform's link), and the page reads in both languages.
 * Skipped, saying so, only where Chromium is not installed (CI installs it).
 */
class CasePhotosBrowserTest {
    @RegisterExtension
    static final ChromiumSession CHROMIUM = new ChromiumSession();

    @TempDir
    static Path dir;
    ChromeDriver browser;

    PhotoCases photos;
    ConsoleServer server;

    @BeforeEach
    void startServer() throws Exception {
        browser = CHROMIUM.browser();
        Path replay = Files.createTempDirectory(dir, "replay");
        photos = PhotoCases.start(replay);
        server = PhotoCases.console(replay, replay.resolve("outcomes.jsonl"), ConsoleApiTest.CLOCK);
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (photos != null) {
            photos.close();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void theCatalogMatchShowsTheEvidencePhotoBesideTheListingPhoto() throws Exception {
        assertThat(HeadlessChromium.logIn(browser, url(""), "tb", "tb-secret")).isEqualTo("tb");
        browser.get(url("/cases/" + PhotoCases.CATALOG_TB + "?lang=en"));

        WebElement evidence = browser.findElement(By.id("evidence-photo"));
        WebElement listing = browser.findElement(By.id("listing-photo"));
        assertLoadedFromTheConsole(PhotoCases.CATALOG_TB, evidence, listing);
        assertThat(listing.getAttribute("alt")).contains("tb:M1:COFFEE:main", "outlined in red");
        assertThat(browser.findElement(By.id("photos")).getText())
                .contains("PDQ Hamming distance 38 of 256 bits", "Changed regions: 1");

        browser.get(url("/cases/" + PhotoCases.CATALOG_TB + "?lang=zh"));
        assertThat(browser.findElement(By.id("photos")).getText()).contains("照片", "PDQ 汉明距离 38", "改动区域 1 处");
        assertThat(browser.findElement(By.id("evidence-photo")).getAttribute("alt")).contains("凭证照片");
        browser.get(url("/?lang=en"));
    }

    @Test
    void theReuseCaseShowsTheEvidencePhotoBesideTheEarlierPhoto() throws Exception {
        assertThat(HeadlessChromium.logIn(browser, url(""), "tb", "tb-secret")).isEqualTo("tb");
        browser.get(url("/cases/" + PhotoCases.REUSE_TB + "?lang=en"));

        WebElement evidence = browser.findElement(By.id("evidence-photo"));
        WebElement earlier = browser.findElement(By.id("earlier-photo"));
        assertLoadedFromTheConsole(PhotoCases.REUSE_TB, evidence, earlier);
        assertThat(earlier.getAttribute("alt")).contains("e0", "earlier request on tb");
        assertThat(browser.findElement(By.id("photos")).getText())
                .contains("The same photo as the buyer's earlier request on tb: PDQ Hamming distance 3 of 256 bits");

        browser.get(url("/cases/" + PhotoCases.REUSE_TB + "?lang=zh"));
        assertThat(browser.findElement(By.id("earlier-photo")).getAttribute("alt")).contains("此前");
        browser.get(url("/?lang=en"));
    }

    /** Each image decoded in the browser at the photo's width, served by the console (not the platform), described. */
    private void assertLoadedFromTheConsole(String alertId, WebElement... images) {
        for (WebElement img : images) {
            Number width = (Number) browser.executeScript(
                    "return arguments[0].complete ? arguments[0].naturalWidth : -1;", img);
            assertThat(width.intValue()).as("%s loaded", img.getAttribute("id")).isEqualTo(PhotoCases.LISTING_WIDTH);
            assertThat(img.getAttribute("src")).startsWith(url("/cases/" + alertId + "/photos/"));
            assertThat(img.getAttribute("alt")).isNotBlank();
        }
    }
}
