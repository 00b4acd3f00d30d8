package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.patterns.PatternCode;
import org.junit.jupiter.api.Test;

class AlertIdsTest {
    /**
     * Consumers drop duplicates and match live runs against replays by alert id, so the derivation
     * must never drift. The expected value was computed outside Java (Python's hashlib over the
     * NUL-joined material), not by this code.
     */
    @Test
    void idsAreStableAcrossReleases() {
        Subject subject = new Subject(SubjectKind.IDENTITY, "4273daf9");
        assertThat(AlertIds.of(PatternCode.REPEAT_REFUNDER, subject, "tb-ev-887", Severity.HIGH, 1))
                .isEqualTo("a-ee21cf71e21468723e745d8a938d5290");
    }

    @Test
    void everyPartOfTheMaterialChangesTheId() {
        Subject subject = new Subject(SubjectKind.IDENTITY, "4273daf9");
        String id = AlertIds.of(PatternCode.REPEAT_REFUNDER, subject, "tb-ev-887", Severity.HIGH, 1);
        assertThat(AlertIds.of(PatternCode.REPEAT_REFUNDER, subject, "tb-ev-887", Severity.HIGH, 2)).isNotEqualTo(id);
        assertThat(AlertIds.of(PatternCode.REPEAT_REFUNDER, subject, "tb-ev-888", Severity.HIGH, 1)).isNotEqualTo(id);
        assertThat(AlertIds.of(PatternCode.REPEAT_REFUNDER, new Subject(SubjectKind.ATTRIBUTE, "4273daf9"),
                "tb-ev-887", Severity.HIGH, 1)).isNotEqualTo(id);
    }
}
