package io.refundguard.alerts;

import java.time.Duration;

/**
 * Alert suppression: an alert fires when a pattern first holds for a subject, again when its
 * severity or escalation level rises, or once the cooldown has passed in event time. Event time,
 * not wall-clock time, so a replay suppresses exactly what the live run suppressed.
 */
public final class AlertGate {
    private AlertGate() {}

    /** Orders (severity, level) pairs; levels are pattern-specific escalation steps. */
    public static int rank(Severity severity, int level) {
        return severity.ordinal() * 1_000_000 + Math.min(Math.max(level, 0), 999_999);
    }

    public static boolean shouldFire(AlertMark last, int rank, long eventTime, Duration cooldown) {
        return last == null
                || rank > last.rank()
                || eventTime - last.eventTime() >= cooldown.toMillis();
    }
}
