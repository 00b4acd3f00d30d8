package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A pattern holds for a subject: what it found, before suppression decides whether it becomes an
 * alert.
 *
 * @param level pattern-specific escalation step (a tier, a ring size), so a growing case re-alerts
 * @param requests the requests behind the finding, most recent last
 * @param amountTotal the sum of their amounts in {@code currency}
 * @param details pattern-specific facts, in insertion order, for the reviewer
 */
public record PatternFinding(
        PatternCode pattern,
        Severity severity,
        int level,
        List<RequestRecord> requests,
        BigDecimal amountTotal,
        String currency,
        Map<String, Object> details) {}
