package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.patterns.PatternCode;
import io.refundguard.patterns.RuleHarness;
import io.refundguard.patterns.RuleSet;
import io.refundguard.patterns.RuleSetUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictAssemblerTest {
    private static final RuleSet RULES = ConfigLoader.load(List.of()).rules();
    private static final Duration TTL = Duration.ofHours(1);
    private static final long EVENT_TIME = 1_793_498_400_000L; // 2026-11-01T02:00:00Z
    private static final int UTC_PLUS_8 = 8 * 3600;

    private KeyedBroadcastOperatorTestHarness<String, Assessment, RuleSetUpdate, Verdict> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, Assessment, RuleSetUpdate, Verdict> newHarness() throws Exception {
        var h = RuleHarness.create(new VerdictAssembler(RULES, TTL, StateTtl.PROCESSING_TIME), Assessment::requestKey, Types.STRING);
        h.setStateTtlProcessingTime(0);
        return RuleHarness.start(h);
    }

    private static Assessment assessment(String platform, String requestId, int expected, List<Reason> reasons,
            List<String> alertIds) {
        return new Assessment(platform, requestId, expected, reasons, alertIds, RULES.version(), EVENT_TIME, UTC_PLUS_8);
    }

    private static Reason reason(PatternCode pattern, Severity severity, int weight) {
        return new Reason(pattern, severity, weight);
    }

    /** The verdict without its wall-clock detection time, which differs between runs. */
    private static Verdict comparable(Verdict v) {
        return new Verdict(v.platform(), v.requestId(), v.riskScore(), v.recommendedAction(), v.reasons(),
                v.alertIds(), v.ruleSetVersion(), v.eventTime(), null);
    }

    private Verdict single(Assessment... assessments) throws Exception {
        for (Assessment a : assessments) {
            harness.processElement(a, a.eventTime());
        }
        assertThat(harness.extractOutputValues()).hasSize(1);
        return harness.extractOutputValues().get(0);
    }

    @Test
    void emitsOnlyWhenTheExpectedNumberOfAssessmentsHasArrived() throws Exception {
        harness.processElement(assessment("tb", "r1", 3, List.of(), List.of()), EVENT_TIME);
        harness.processElement(assessment("jd", "r2", 1, List.of(), List.of()), EVENT_TIME);
        harness.processElement(assessment("tb", "r1", 3, List.of(), List.of()), EVENT_TIME);

        assertThat(harness.extractOutputValues()).extracting(Verdict::requestId).containsExactly("r2");
        assertThat(RuleHarness.numKeyedStateEntries(harness)).as("r1 waits for one more").isEqualTo(1);

        harness.processElement(assessment("tb", "r1", 3,
                List.of(reason(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 30)), List.of("a-1")), EVENT_TIME);

        assertThat(harness.extractOutputValues()).extracting(Verdict::requestId).containsExactly("r2", "r1");
        Verdict r1 = harness.extractOutputValues().get(1);
        assertThat(r1.platform()).isEqualTo("tb");
        assertThat(r1.riskScore()).isEqualTo(30);
        assertThat(r1.recommendedAction()).isEqualTo(RecommendedAction.REQUIRE_RETURN);
        assertThat(r1.ruleSetVersion()).isEqualTo(RULES.version());
        assertThat(r1.eventTime()).isEqualTo("2026-11-01T10:00:00.000+08:00");
        assertThat(r1.detectedAt()).endsWith("Z");
        assertThat(RuleHarness.numKeyedStateEntries(harness)).as("state cleared after the verdict").isZero();
    }

    @Test
    void aRequestWithNoSignalIsAllowedWithScoreZero() throws Exception {
        Verdict v = single(assessment("tb", "r1", 1, List.of(), List.of()));
        assertThat(v.riskScore()).isZero();
        assertThat(v.recommendedAction()).isEqualTo(RecommendedAction.ALLOW);
        assertThat(v.reasons()).isEmpty();
        assertThat(v.alertIds()).isEmpty();
    }

    @Test
    void aPatternReportedTwiceCountsOnceAtItsStrongest() throws Exception {
        Verdict v = single(
                assessment("tb", "r1", 2, List.of(reason(PatternCode.REPEAT_REFUNDER, Severity.MEDIUM, 20),
                        reason(PatternCode.AMOUNT_TIER, Severity.HIGH, 25)), List.of()),
                assessment("tb", "r1", 2, List.of(reason(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 30)), List.of()));

        assertThat(v.riskScore()).isEqualTo(55);
        assertThat(v.reasons()).containsExactly(
                reason(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 30), reason(PatternCode.AMOUNT_TIER, Severity.HIGH, 25));
        assertThat(v.recommendedAction()).isEqualTo(RecommendedAction.HOLD_FOR_MANUAL_REVIEW);
    }

    @Test
    void theScoreIsCappedAt100() throws Exception {
        Verdict v = single(assessment("tb", "r1", 1, List.of(
                reason(PatternCode.IMAGE_REUSE, Severity.CRITICAL, 70),
                reason(PatternCode.CATALOG_IMAGE_MATCH, Severity.CRITICAL, 90)), List.of()));

        assertThat(v.riskScore()).isEqualTo(100);
        assertThat(v.reasons()).extracting(Reason::pattern)
                .containsExactly(PatternCode.CATALOG_IMAGE_MATCH, PatternCode.IMAGE_REUSE);
        assertThat(v.recommendedAction()).isEqualTo(RecommendedAction.REJECT_AND_REPORT);
    }

    @ParameterizedTest(name = "score {0} -> {1}")
    @CsvSource({
        "0, ALLOW", "24, ALLOW", "25, REQUIRE_RETURN", "49, REQUIRE_RETURN", "50, HOLD_FOR_MANUAL_REVIEW",
        "79, HOLD_FOR_MANUAL_REVIEW", "80, REJECT_AND_REPORT", "100, REJECT_AND_REPORT"
    })
    void defaultBandsMapScoresToActionsAtTheirEdges(int score, RecommendedAction action) throws Exception {
        Verdict v = single(assessment("tb", "r1", 1,
                List.of(reason(PatternCode.MERCHANT_BURST, Severity.CRITICAL, score)), List.of()));
        assertThat(v.riskScore()).isEqualTo(score);
        assertThat(v.recommendedAction()).isEqualTo(action);
    }

    @Test
    void alertIdsAreDistinctAndSorted() throws Exception {
        Verdict v = single(
                assessment("tb", "r1", 2, List.of(), List.of("a-c", "a-a")),
                assessment("tb", "r1", 2, List.of(), List.of("a-b", "a-a", "a-c")));
        assertThat(v.alertIds()).containsExactly("a-a", "a-b", "a-c");
    }

    @Test
    void anyArrivalOrderGivesTheSameVerdict() throws Exception {
        // Two reports of one pattern with equal points but different severities (a small weight
        // rounds alike at several severities): the verdict must not depend on which came first.
        List<Assessment> assessments = List.of(
                assessment("tb", "r1", 3, List.of(reason(PatternCode.MERCHANT_BURST, Severity.MEDIUM, 15),
                        reason(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 30)), List.of("a-2")),
                assessment("tb", "r1", 3, List.of(reason(PatternCode.MERCHANT_BURST, Severity.HIGH, 15)), List.of("a-1")),
                assessment("tb", "r1", 3, List.of(reason(PatternCode.IMAGE_REUSE, Severity.LOW, 18)), List.of("a-3", "a-2")));

        List<Verdict> verdicts = new ArrayList<>();
        for (List<Integer> order : List.of(List.of(0, 1, 2), List.of(0, 2, 1), List.of(1, 0, 2), List.of(1, 2, 0),
                List.of(2, 0, 1), List.of(2, 1, 0))) {
            try (var h = newHarness()) {
                for (int i : order) {
                    h.processElement(assessments.get(i), EVENT_TIME);
                }
                assertThat(h.extractOutputValues()).as("order %s", order).hasSize(1);
                verdicts.add(comparable(h.extractOutputValues().get(0)));
                assertThat(RuleHarness.numKeyedStateEntries(h)).isZero();
            }
        }

        assertThat(verdicts).allSatisfy(v -> assertThat(v).isEqualTo(verdicts.get(0)));
        Verdict v = verdicts.get(0);
        assertThat(v.riskScore()).isEqualTo(63);
        assertThat(v.reasons()).containsExactly(
                reason(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 30),
                reason(PatternCode.IMAGE_REUSE, Severity.LOW, 18),
                reason(PatternCode.MERCHANT_BURST, Severity.HIGH, 15));
        assertThat(v.alertIds()).containsExactly("a-1", "a-2", "a-3");
    }

    @Test
    void anIncompleteVerdictExpiresAfterItsTtl() throws Exception {
        harness.processElement(assessment("tb", "r1", 2, List.of(), List.of("a-old")), EVENT_TIME);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isEqualTo(1);

        harness.setStateTtlProcessingTime(TTL.toMillis());
        harness.processElement(assessment("tb", "r1", 2, List.of(), List.of("a-new")), EVENT_TIME);

        assertThat(harness.extractOutputValues()).as("the expired partial does not count").isEmpty();
    }
}
