package io.refundguard.alerts;

import io.refundguard.events.Sha256;
import io.refundguard.patterns.PatternCode;

/**
 * Deterministic alert ids: the same pattern firing for the same subject, on the same triggering
 * event, at the same escalation, always gets the same id, so consumers can drop duplicates and a
 * replay reproduces a live run's ids.
 */
public final class AlertIds {
    private AlertIds() {}

    public static String of(PatternCode pattern, Subject subject, String triggerEventId, Severity severity, int level) {
        String material = String.join("\u0000",
                "v1", pattern.name(), subject.kind().name(), subject.key(), triggerEventId, severity.name(),
                Integer.toString(level));
        return "a-" + Sha256.hexPrefix(material, 16);
    }
}
