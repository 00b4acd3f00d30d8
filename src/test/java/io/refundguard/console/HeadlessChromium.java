package io.refundguard.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium and its driver (packages {@code chromium}, {@code chromium-driver}; {@code .ci/run}
 * installs them), headless, with a fresh profile and nothing that phones home, so a test run talks
 * to 127.0.0.1 only.
 */
final class HeadlessChromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    static ChromeDriver start(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /**
     * Logs in through the form at {@code base/login} and returns the signed-in user's name as the
     * next page shows it. A form submit returns before the next page is there, so this waits for it:
     * navigating on at once can overtake the login and land on the form again.
     */
    static String logIn(ChromeDriver browser, String base, String user, String password) {
        browser.get(base + "/login");
        browser.findElement(By.id("user-field")).sendKeys(user);
        browser.findElement(By.id("password-field")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
        WebElement shown = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("user")));
        return shown.getText();
    }
}
