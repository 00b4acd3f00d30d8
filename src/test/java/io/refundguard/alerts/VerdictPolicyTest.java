package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.job.config.ConfigException;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.patterns.PatternCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * REQUEST_LIVE_CAPTURE: a request whose only reasons are weak evidence signals (a stripped C2PA
 * manifest, unreadable evidence, a featureless photo) gets a live photo asked for, whatever else
 * its score would say below a hold; a request with any other reason keeps its score's action.
 */
class VerdictPolicyTest {
    private static final VerdictPolicy POLICY = ConfigLoader.load(List.of()).rules().verdict();

    private static Reason reason(PatternCode pattern, Severity severity) {
        return new Reason(pattern, severity, POLICY.weightOf(pattern, severity));
    }

    private static RecommendedAction actionFor(Reason... reasons) {
        List<Reason> all = List.of(reasons);
        return POLICY.actionFor(Math.min(100, all.stream().mapToInt(Reason::weight).sum()), all);
    }

    @Test
    void weakEvidenceSignalsAloneAskForALiveCapture() {
        Reason stripped = reason(PatternCode.AI_GENERATED_EVIDENCE, Severity.LOW);
        Reason unreadable = reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM);
        Reason lowQuality = reason(PatternCode.EVIDENCE_LOW_QUALITY, Severity.LOW);
        // 20 points would be ALLOW, 25 REQUIRE_RETURN, 5 ALLOW: each alone is doubt about the photo.
        assertThat(actionFor(stripped)).isEqualTo(RecommendedAction.REQUEST_LIVE_CAPTURE);
        assertThat(actionFor(unreadable)).isEqualTo(RecommendedAction.REQUEST_LIVE_CAPTURE);
        assertThat(actionFor(lowQuality)).isEqualTo(RecommendedAction.REQUEST_LIVE_CAPTURE);
        assertThat(actionFor(stripped, lowQuality)).isEqualTo(RecommendedAction.REQUEST_LIVE_CAPTURE);
        // All three add up to the hold band (50): more than doubt, a reviewer looks.
        assertThat(actionFor(stripped, unreadable, lowQuality)).isEqualTo(RecommendedAction.HOLD_FOR_MANUAL_REVIEW);
    }

    @Test
    void anyOtherSignalKeepsTheScoresAction() {
        Reason unreadable = reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM);
        assertThat(actionFor(unreadable, reason(PatternCode.MERCHANT_BURST, Severity.MEDIUM)))
                .isEqualTo(RecommendedAction.REQUIRE_RETURN);
        // An AI label "3" (MEDIUM) is a signal of its own, not a stripped manifest.
        assertThat(actionFor(reason(PatternCode.AI_GENERATED_EVIDENCE, Severity.MEDIUM)))
                .isEqualTo(RecommendedAction.REQUIRE_RETURN);
        assertThat(actionFor(reason(PatternCode.MERCHANT_BURST, Severity.LOW))).isEqualTo(RecommendedAction.ALLOW);
        assertThat(actionFor()).isEqualTo(RecommendedAction.ALLOW);
    }

    @Test
    void theBandAndTheWeakSignalsAreConfigurationCheckedAtStart() {
        assertThat(ConfigLoader.load(List.of("rules.verdict.bands.REQUEST_LIVE_CAPTURE=30")).rules().verdict()
                .actionFor(25, List.of(reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM))))
                .isEqualTo(RecommendedAction.REQUIRE_RETURN);
        assertThatThrownBy(() -> ConfigLoader.load(List.of("rules.verdict.bands.REQUEST_LIVE_CAPTURE=50")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bands.REQUEST_LIVE_CAPTURE: expected 1 up to below bands.HOLD_FOR_MANUAL_REVIEW (50), got 50");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("rules.verdict.liveCapture.below=REQUEST_LIVE_CAPTURE")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("below: expected an action above REQUEST_LIVE_CAPTURE");
        assertThatThrownBy(() -> new VerdictPolicy(POLICY.weights(), POLICY.severityFactors(), POLICY.bands(),
                new LiveCapture(Map.of(PatternCode.AUTOMATIC_APPROVAL_AFTER_HOLD, Severity.LOW),
                        RecommendedAction.HOLD_FOR_MANUAL_REVIEW)))
                .hasMessage("liveCapture.weakSignals.AUTOMATIC_APPROVAL_AFTER_HOLD: not a verdict reason, remove it");
    }
}
