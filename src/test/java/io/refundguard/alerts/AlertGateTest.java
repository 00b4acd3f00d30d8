package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertGateTest {
    private static final Duration COOLDOWN = Duration.ofDays(7);
    private static final long T = 1_793_498_400_000L;

    private static AlertMark mark(Severity severity, int level, long eventTime) {
        return new AlertMark(AlertGate.rank(severity, level), eventTime, "a-last");
    }

    @Test
    void severityOutranksAnyEscalationLevel() {
        assertThat(AlertGate.rank(Severity.HIGH, 0)).isGreaterThan(AlertGate.rank(Severity.MEDIUM, 999_999));
        assertThat(AlertGate.rank(Severity.MEDIUM, 2)).isGreaterThan(AlertGate.rank(Severity.MEDIUM, 1));
        assertThat(AlertGate.rank(Severity.LOW, -5)).as("a negative level counts as 0")
                .isEqualTo(AlertGate.rank(Severity.LOW, 0));
        assertThat(AlertGate.rank(Severity.MEDIUM, Integer.MAX_VALUE))
                .as("a huge level stays below the next severity")
                .isLessThan(AlertGate.rank(Severity.HIGH, 0));
    }

    @Test
    void theFirstMatchFires() {
        assertThat(AlertGate.shouldFire(null, AlertGate.rank(Severity.LOW, 0), T, COOLDOWN)).isTrue();
    }

    @Test
    void theSameRankIsSuppressedUntilTheCooldownHasPassed() {
        AlertMark last = mark(Severity.HIGH, 1, T);
        int same = AlertGate.rank(Severity.HIGH, 1);

        assertThat(AlertGate.shouldFire(last, same, T, COOLDOWN)).isFalse();
        assertThat(AlertGate.shouldFire(last, same, T + COOLDOWN.toMillis() - 1, COOLDOWN)).isFalse();
        assertThat(AlertGate.shouldFire(last, same, T + COOLDOWN.toMillis(), COOLDOWN)).isTrue();
    }

    @Test
    void aRiseInSeverityOrLevelFiresAtOnce() {
        AlertMark last = mark(Severity.HIGH, 1, T);

        assertThat(AlertGate.shouldFire(last, AlertGate.rank(Severity.HIGH, 2), T + 1, COOLDOWN)).isTrue();
        assertThat(AlertGate.shouldFire(last, AlertGate.rank(Severity.CRITICAL, 0), T + 1, COOLDOWN)).isTrue();
    }

    @Test
    void aLowerRankIsSuppressedWithinTheCooldownOnly() {
        AlertMark last = mark(Severity.CRITICAL, 2, T);
        int lower = AlertGate.rank(Severity.HIGH, 3);

        assertThat(AlertGate.shouldFire(last, lower, T + COOLDOWN.toMillis() - 1, COOLDOWN)).isFalse();
        assertThat(AlertGate.shouldFire(last, lower, T + COOLDOWN.toMillis(), COOLDOWN)).isTrue();
    }

    @Test
    void anEventOlderThanTheLastAlertDoesNotReopenTheCooldown() {
        AlertMark last = mark(Severity.HIGH, 0, T);
        int same = AlertGate.rank(Severity.HIGH, 0);

        assertThat(AlertGate.shouldFire(last, same, T - COOLDOWN.toMillis() * 3, COOLDOWN)).isFalse();
    }
}
