package io.refundguard.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One headless Chromium for a browser test class, started before its first test and quit after
 * its last, with a profile of its own. Skips the class, saying so, only where Chromium is not
 * installed (CI installs it).
 *
 * <pre>{@code @RegisterExtension static final ChromiumSession CHROMIUM = new ChromiumSession();}</pre>
 */
final class ChromiumSession implements BeforeAllCallback, AfterAllCallback {
    private Path profile;
    private ChromeDriver browser;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(),
                "SKIPPED: browser tests need /usr/bin/chromium and /usr/bin/chromedriver "
                        + "(apt-get install chromium chromium-driver; .ci/run installs them)");
        profile = Files.createTempDirectory("refundguard-chromium");
        browser = HeadlessChromium.start(profile);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    ChromeDriver browser() {
        return browser;
    }
}
