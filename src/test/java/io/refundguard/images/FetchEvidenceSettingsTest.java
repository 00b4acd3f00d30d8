package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** {@link EnrichmentSettings}: the bounds {@link FetchEvidence} runs under. */
class FetchEvidenceSettingsTest {
    private static final EnrichmentSettings DEFAULTS = EnrichmentSettings.defaults();

    private static EnrichmentSettings with(Duration timeout, long maxBytes, int retries, int concurrency,
            List<String> schemes, String root) {
        return new EnrichmentSettings(timeout, maxBytes, retries, Duration.ofMillis(100), concurrency, schemes, root);
    }

    @Test
    void defaultsFetchOverHttpOnlyAndNeverFromDisk() {
        assertThat(DEFAULTS.allowedSchemes()).containsExactly("http", "https");
        assertThat(DEFAULTS.allowedFileRoot()).isNull();
        assertThat(DEFAULTS.maxBytes()).isLessThanOrEqualTo(DecodeLimits.DEFAULT_MAX_FILE_BYTES);
        assertThat(DEFAULTS.retries()).isPositive();
    }

    @Test
    void theFileSchemeNeedsARoot() {
        assertThatThrownBy(() -> DEFAULTS.withAllowedSchemes(List.of("https", "file")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowedFileRoot: the file scheme is allowed");
        assertThatThrownBy(() -> with(Duration.ofSeconds(1), 1000, 0, 1, List.of("file"), "relative/dir"))
                .hasMessage("allowedFileRoot: expected an absolute directory, got \"relative/dir\"");
    }

    @Test
    void withFileRootAddsTheSchemeAndAnAbsoluteRoot() {
        EnrichmentSettings local = DEFAULTS.withFileRoot(Path.of("evidence"));

        assertThat(local.allowedSchemes()).containsExactly("http", "https", "file");
        assertThat(Path.of(local.allowedFileRoot())).isAbsolute().endsWithRaw(Path.of("evidence"));
        assertThat(local.withFileRoot(Path.of("/srv/photos")).allowedSchemes()).containsExactly("http", "https", "file");
    }

    @Test
    void schemesAreReadCaseInsensitivelyAndOnlyKnownOnes() {
        assertThat(DEFAULTS.withAllowedSchemes(List.of("HTTPS", "https")).allowedSchemes()).containsExactly("https");
        assertThatThrownBy(() -> DEFAULTS.withAllowedSchemes(List.of("https", "ftp")))
                .hasMessage("allowedSchemes: expected http, https or file, got \"ftp\"");
        assertThatThrownBy(() -> DEFAULTS.withAllowedSchemes(null)).hasMessage("allowedSchemes: missing setting");
    }

    @Test
    void limitsOutOfRangeAreRefusedWithTheSettingsName() {
        List<String> https = List.of("https");
        assertThatThrownBy(() -> with(Duration.ZERO, 1000, 0, 1, https, null)).hasMessageStartingWith("timeout: ");
        assertThatThrownBy(() -> with(Duration.ofSeconds(1), 0, 0, 1, https, null)).hasMessageStartingWith("maxBytes: ");
        assertThatThrownBy(() -> with(Duration.ofSeconds(1), DecodeLimits.DEFAULT_MAX_FILE_BYTES + 1, 0, 1, https, null))
                .hasMessageStartingWith("maxBytes: ");
        assertThatThrownBy(() -> with(Duration.ofSeconds(1), 1000, -1, 1, https, null)).hasMessageStartingWith("retries: ");
        assertThatThrownBy(() -> with(Duration.ofSeconds(1), 1000, 11, 1, https, null)).hasMessageStartingWith("retries: ");
        assertThatThrownBy(() -> with(Duration.ofSeconds(1), 1000, 0, 0, https, null)).hasMessageStartingWith("concurrency: ");
        assertThatThrownBy(() -> DEFAULTS.withRetries(1, Duration.ofMillis(-1))).hasMessageStartingWith("retryBackoff: ");
    }

    @Test
    void backoffDoublesAndTheOperatorTimeoutCoversEveryAttempt() {
        EnrichmentSettings settings = DEFAULTS.withTimeout(Duration.ofSeconds(5)).withRetries(2, Duration.ofMillis(500));

        assertThat(settings.backoffBefore(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.backoffBefore(2)).isEqualTo(Duration.ofSeconds(1));
        // 3 attempts of 5 s, 0.5 s + 1 s of backoff, 5 s for queueing and fingerprinting.
        assertThat(settings.asyncTimeout()).isEqualTo(Duration.ofMillis(21_500));
    }

    @Test
    void theSettingsAndTheFunctionTravelToTaskManagers() throws Exception {
        EnrichmentSettings local = DEFAULTS.withFileRoot(Path.of("/srv/evidence"));

        assertThat(InstantiationUtil.clone(local)).isEqualTo(local);
        assertThat(InstantiationUtil.clone(new FetchEvidence(local))).isNotNull();
    }
}
