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
 * Decisions go to a scratch file, never into the replay folder.
 */
public final class ConsoleScreenshots {
    private ConsoleScreenshots() {}

    public static void main(String[] args) throws Exception {
        Path replay = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Path scratch = Files.createTempDirectory("console-shots");
        try (ConsoleServer server = ConsoleApiTest.startServer(replay, scratch.resolve("outcomes.jsonl"))) {
            ChromeDriver browser = HeadlessChromium.start(scratch.resolve("profile"));
            try {
                String base = "http://127.0.0.1:" + server.port();
                browser.get(base + "/login");
                browser.findElement(By.id("user-field")).sendKeys("admin");
                browser.findElement(By.id("password-field")).sendKeys("admin-secret");
                browser.findElement(By.id("login-submit")).click();
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

    private static void shot(ChromeDriver browser, Path target) throws Exception {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
