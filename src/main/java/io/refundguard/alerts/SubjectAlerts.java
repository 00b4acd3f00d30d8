package io.refundguard.alerts;

import io.refundguard.events.RefundEvent;
import io.refundguard.patterns.PatternFinding;
import io.refundguard.patterns.RuleSet;
import java.util.Optional;
import org.apache.flink.api.common.state.MapState;

/**
 * The suppression gate of one keyed subject, over state its owning function declared: the last
 * alert per pattern. Kept in the same operator as the pattern so a verdict can name the alert that
 * covers its request, whether it fired now or earlier.
 */
public final class SubjectAlerts {
    private final MapState<String, AlertMark> lastAlertByPattern;
    private final AlertMetrics metrics;

    public SubjectAlerts(MapState<String, AlertMark> lastAlertByPattern, AlertMetrics metrics) {
        this.lastAlertByPattern = lastAlertByPattern;
        this.metrics = metrics;
    }

    /** The outcome of offering a finding: the alert if it fired, and the id that covers it either way. */
    public record Offer(Optional<Alert> fired, String coveringAlertId) {}

    public Offer offer(PatternFinding finding, Subject subject, RefundEvent trigger, RuleSet rules) throws Exception {
        return offer(finding, subject, new Trigger(trigger.platform(), trigger.requestId(), trigger.eventId()),
                trigger.occurredAt(), trigger.utcOffsetSeconds(), rules);
    }

    public Offer offer(PatternFinding finding, Subject subject, Trigger trigger, long eventTime, int utcOffsetSeconds,
            RuleSet rules) throws Exception {
        String pattern = finding.pattern().name();
        AlertMark last = lastAlertByPattern.get(pattern);
        int rank = AlertGate.rank(finding.severity(), finding.level());
        if (!AlertGate.shouldFire(last, rank, eventTime, rules.alerts().cooldown())) {
            metrics.suppressed(finding.pattern());
            return new Offer(Optional.empty(), last.alertId());
        }
        Alert alert = AlertFactory.build(finding, subject, trigger, eventTime, utcOffsetSeconds, rules,
                System.currentTimeMillis());
        lastAlertByPattern.put(pattern, new AlertMark(rank, eventTime, alert.alertId()));
        metrics.fired(finding.pattern());
        return new Offer(Optional.of(alert), alert.alertId());
    }
}
