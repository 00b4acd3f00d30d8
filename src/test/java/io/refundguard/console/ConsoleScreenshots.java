package io.refundguard.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Takes the README's screenshots: {@code java … ConsoleScreenshots REPLAY_DIR OUT_DIR [ALERT_ID]}
 * logs in as the operator, captures the inbox and one case page (the given alert, or the newest
 * repeat refunder at a legal tier) as {@code console-inbox.png} and {@code console-case.png}.
 * Decisions go to a scratch file, never into the replay folder. {@code ConsoleScreenshots --photos
 * OUT_DIR} captures the photo block of a catalog-match case ({@link PhotoCases}: a photo server on
 * 127.0.0.1 serving a listing photo and a stained copy of it) as {@code console-photos.png}.
 */
public final class ConsoleScreenshots {
    private ConsoleScreenshots() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--photos")) {
            photos(Path.of(args[1]));
            return;
        }
        Path replay = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Path scratch = Files.createTempDirectory("console-shots");
        try (ConsoleServer server = ConsoleApiTest.startServer(replay, scratch.resolve("outcomes.jsonl"))) {
            ChromeDriver browser = HeadlessChromium.start(scratch.resolve("profile"));
            try {
                String base = "http://127.0.0.1:" + server.port();
                HeadlessChromium.logIn(browser, base, "admin", "admin-secret");
                browser.get(base + "/?severity=HIGH");
                shot(browser, out.resolve("console-inbox.png"));
                String alertId = args.length > 2 ? args[2] : browser.findElements(By.cssSelector("tr.case-row")).stream()
                        .filter(r -> r.getText().contains("refund-only requests") && r.getText().contains("LARGE"))
                        .map(r -> r.getAttribute("data-alert-id")).findFirst()
                        .orElse(browser.findElement(By.cssSelector("tr.case-row")).getAttribute("data-alert-id"));
                // Tall enough for the decision form under the facts.
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1700));
                browser.get(base + "/cases/" + alertId);
                shot(browser, out.resolve("console-case.png"));
                System.out.println("screenshots of " + alertId + " in " + out);
            } finally {
                browser.quit();
            }
        }
    }

    private static void photos(Path out) throws Exception {
        Files.createDirectories(out);
        Path scratch = Files.createTempDirectory("console-photo-shots");
        Path replay = scratch.resolve("replay");
        Files.createDirectories(replay);
        try (PhotoCases photos = PhotoCases.start(replay);
                ConsoleServer server = PhotoCases.console(replay, scratch.resolve("outcomes.jsonl"),
                        java.time.Clock.systemUTC())) {
            ChromeDriver browser = HeadlessChromium.start(scratch.resolve("profile"));
            try {
                String base = "http://127.0.0.1:" + server.port();
                HeadlessChromium.logIn(browser, base, "admin", "admin-secret");
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
                browser.get(base + "/cases/" + PhotoCases.CATALOG_TB + "?lang=en");
                // The photos load after the page: wait until both are decoded before the shot.
                new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30)).until(b ->
                        Boolean.TRUE.equals(((ChromeDriver) b).executeScript("return [...document.querySelectorAll("
                                + "'#photos img')].every(i => i.complete && i.naturalWidth > 0);")));
                browser.executeScript("document.getElementById('photos').scrollIntoView();");
                shot(browser, out.resolve("console-photos.png"));
                System.out.println("screenshot of " + PhotoCases.CATALOG_TB + " in " + out);
            } finally {
                browser.quit();
            }
        }
    }

    private static void shot(ChromeDriver browser, Path target) throws Exception {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
