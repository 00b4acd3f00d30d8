package io.refundguard.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.alerts.RecommendedAction;
import io.refundguard.alerts.Severity;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.patterns.PatternCode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Path SHIPPED = Path.of(ConfigLoader.DEFAULT_RESOURCE);

    @TempDir
    Path dir;

    private static void assertRejected(List<String> overrides, String... messageParts) {
        assertThatThrownBy(() -> ConfigLoader.load(overrides))
                .isInstanceOf(ConfigException.class)
                .message().contains(messageParts);
    }

    /** The shipped file with one line replaced (or removed, when replacement is null). */
    private Path shippedWith(String line, String replacement) throws Exception {
        List<String> lines = Files.readAllLines(SHIPPED, StandardCharsets.UTF_8);
        int index = lines.indexOf(line);
        assertThat(index).as("the shipped config has the line %s", line).isNotNegative();
        if (replacement == null) {
            lines.remove(index);
        } else {
            lines.set(index, replacement);
        }
        Path copy = dir.resolve("refundguard.yaml");
        Files.write(copy, lines, StandardCharsets.UTF_8);
        return copy;
    }

    @Test
    void theShippedConfigLoads() {
        RefundGuardConfig config = ConfigLoader.load(List.of());

        assertThat(config.topics().refundEvents()).isEqualTo("refund-events");
        assertThat(config.topics().platformViews()).isTrue();
        assertThat(config.input().maxAmount()).isEqualByComparingTo("10000000");
        assertThat(config.eventTime().outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.state().orphanTimeout()).isEqualTo(Duration.ofDays(1));
        assertThat(config.rules().repeatRefunder().minRequests()).isEqualTo(4);
        assertThat(config.rules().repeatRefunder().window()).isEqualTo(Duration.ofDays(30));
        assertThat(config.rules().amountTier().large()).isEqualByComparingTo("3000");
        assertThat(config.rules().amountTier().huge()).isEqualByComparingTo("30000");
        assertThat(config.rules().amountTier().especiallyHuge()).isEqualByComparingTo("500000");
        assertThat(config.rules().alerts().actionFor(Severity.HIGH)).isEqualTo(RecommendedAction.HOLD_FOR_MANUAL_REVIEW);
        assertThat(config.rules().verdict().weightOf(PatternCode.IMAGE_REUSE, Severity.CRITICAL)).isEqualTo(70);
        assertThat(config.rules().verdict().bands()).containsEntry(RecommendedAction.REJECT_AND_REPORT, 80);
        assertThat(config.local().platforms()).containsExactly("tb", "jd", "pdd", "dy");
        assertThat(config.replay().stateTtl()).as("a replay keeps no processing-time TTL").isEqualTo(StateTtl.NONE);
    }

    @Test
    void theFileGivenExplicitlyIsTheSameAsTheDefault() {
        assertThat(ConfigLoader.load(SHIPPED, List.of())).isEqualTo(ConfigLoader.load(List.of()));
    }

    @Test
    void overridesApplyWithTheirTypes() {
        RefundGuardConfig config = ConfigLoader.load(List.of(
                "rules.repeatRefunder.minRequests=5",
                "rules.repeatRefunder.window=14d",
                "topics.platformViews=false",
                "rules.amountTier.large=5000",
                "rules.amountTier.exchangeRates.USD=7.1",
                "local.platforms=[tb, xy]",
                "kafka.clientProperties.security.protocol=SASL_SSL",
                "flink.configuration.state.backend.rocksdb.memory.managed=true"));

        assertThat(config.rules().repeatRefunder().minRequests()).isEqualTo(5);
        assertThat(config.rules().repeatRefunder().window()).isEqualTo(Duration.ofDays(14));
        assertThat(config.topics().platformViews()).isFalse();
        assertThat(config.rules().amountTier().large()).isEqualByComparingTo("5000");
        assertThat(config.rules().amountTier().exchangeRates()).containsOnlyKeys("USD");
        assertThat(config.rules().amountTier().inTierCurrency(new BigDecimal("100"), "USD")).get()
                .satisfies(cny -> assertThat(cny).isEqualByComparingTo("710"));
        assertThat(config.local().platforms()).containsExactly("tb", "xy");
        assertThat(config.kafka().clientProperties()).as("property names with dots are one key")
                .containsExactly(java.util.Map.entry("security.protocol", "SASL_SSL"));
        assertThat(config.flink().configuration()).containsExactly(
                java.util.Map.entry("state.backend.rocksdb.memory.managed", "true"));
        assertThat(config.rules().repeatRefunder().criticalRequests()).as("untouched").isEqualTo(8);
    }

    @Test
    void theLastOverrideOfAKeyWins() {
        RefundGuardConfig config = ConfigLoader.load(List.of(
                "rules.repeatRefunder.minRequests=5", "rules.repeatRefunder.minRequests=6"));
        assertThat(config.rules().repeatRefunder().minRequests()).isEqualTo(6);
    }

    @Test
    void anUnknownKeyFails() {
        assertRejected(List.of("rules.repeatRefunder.minRequest=5"), "rules.repeatRefunder.minRequest", "unknown setting");
        assertRejected(List.of("rules.repeatRefuner.minRequests=5"), "rules.repeatRefuner", "unknown setting");
    }

    @Test
    void anUnknownKeyInTheFileFails() throws Exception {
        Path file = shippedWith("    minRequests: 4", "    minRequests: 4\n    maxRequests: 9");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .message().contains("rules.repeatRefunder.maxRequests", "unknown setting", "minRequests");
    }

    @Test
    void aWrongTypeFails() {
        assertRejected(List.of("rules.repeatRefunder.minRequests=many"),
                "rules.repeatRefunder.minRequests", "expected int", "many");
        assertRejected(List.of("rules.amountTier.large=lots"), "rules.amountTier.large", "decimal amount", "lots");
        assertRejected(List.of("rules.alerts.actions.LOW=SHRUG"), "rules.alerts.actions.LOW",
                "one of [ALLOW, REQUEST_LIVE_CAPTURE, REQUIRE_RETURN, HOLD_FOR_MANUAL_REVIEW, REJECT_AND_REPORT]", "SHRUG");
        assertRejected(List.of("topics.platformViews=maybe"), "topics.platformViews", "expected boolean", "maybe");
        assertRejected(List.of("state.dedupeTtl=soon"), "state.dedupeTtl", "expected a duration", "soon");
    }

    @Test
    void theReplaysStateTtlIsProcessingTimeOrNoneAndNothingElse() throws Exception {
        assertThat(ConfigLoader.load(List.of("replay.stateTtl=PROCESSING_TIME")).replay().stateTtl())
                .isEqualTo(StateTtl.PROCESSING_TIME);
        assertThat(ConfigLoader.load(List.of("replay.stateTtl=NONE")).replay().stateTtl()).isEqualTo(StateTtl.NONE);
        for (String wrong : List.of("false", "none", "0", "1", "ttl", "\"\"")) {
            assertRejected(List.of("replay.stateTtl=" + wrong), "replay.stateTtl", "one of [PROCESSING_TIME, NONE]");
        }
        assertThatThrownBy(() -> ConfigLoader.load(List.of("replay.stateTtl=false")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("replay.stateTtl: expected one of [PROCESSING_TIME, NONE], got \"false\"");
        Path file = shippedWith("  stateTtl: NONE", null);
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("replay.stateTtl: missing setting");
    }

    @Test
    void theReplaysStateBackendIsAutoUnlessForced() throws Exception {
        assertThat(ConfigLoader.load(List.of()).replay().stateBackend()).isEqualTo("auto");
        assertThat(ConfigLoader.load(List.of("replay.stateBackend=rocksdb")).replay().stateBackend()).isEqualTo("rocksdb");
        assertThat(ConfigLoader.load(List.of("replay.stateBackend=hashmap")).replay().stateBackend()).isEqualTo("hashmap");
        assertRejected(List.of("replay.stateBackend=memory"), "replay.stateBackend", "auto, rocksdb or hashmap", "memory");
        assertRejected(List.of("flink.stateBackend=auto"), "flink.stateBackend", "rocksdb or hashmap", "auto");
    }

    @Test
    void aNumberBelowItsMinimumFails() {
        assertRejected(List.of("rules.repeatRefunder.minRequests=0"),
                "rules.repeatRefunder.minRequests: expected at least 1, got 0");
    }

    @Test
    void aNegativeOrZeroDurationFails() {
        assertRejected(List.of("rules.repeatRefunder.window=-5d"),
                "rules.repeatRefunder.window", "expected a duration like", "-5d");
        assertRejected(List.of("rules.repeatRefunder.window=PT-5S"),
                "rules.repeatRefunder.window", "expected a positive duration", "-5s");
        assertRejected(List.of("state.orphanTimeout=0s"), "state.orphanTimeout", "expected a positive duration");
        assertRejected(List.of("state.heldVerdictTtl=0s"), "state.heldVerdictTtl", "expected a positive duration");
    }

    @Test
    void aWeightForAnAlertOnlyCodeFails() throws Exception {
        Path file = shippedWith("      MERCHANT_BURST: 30", "      MERCHANT_BURST: 30\n      AUTOMATIC_APPROVAL_AFTER_HOLD: 10");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rules.verdict.weights.AUTOMATIC_APPROVAL_AFTER_HOLD: not a verdict reason, remove it");
    }

    @Test
    void aMissingKeyFails() throws Exception {
        Path file = shippedWith("    minRequests: 4", null);
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rules.repeatRefunder.minRequests: missing setting");
    }

    @Test
    void aMissingDurationFails() throws Exception {
        Path file = shippedWith("  orphanTimeout: 1d", null);
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("state.orphanTimeout: missing setting");
    }

    @Test
    void tiersThatDoNotIncreaseFail() {
        assertRejected(List.of("rules.amountTier.huge=3000"),
                "rules.amountTier.huge: expected an amount above large (3000), got 3000");
        assertRejected(List.of("rules.amountTier.especiallyHuge=20000"),
                "rules.amountTier.especiallyHuge: expected an amount above huge (30000), got 20000");
        assertRejected(List.of("rules.verdict.bands.HOLD_FOR_MANUAL_REVIEW=25"),
                "rules.verdict.bands.HOLD_FOR_MANUAL_REVIEW", "25");
    }

    @Test
    void aMalformedOverrideFails() {
        assertRejected(List.of("rules.repeatRefunder.minRequests"), "expected key.path=value");
    }

    @Test
    void aMissingFileFails() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml");
    }
}
