package io.refundguard.alerts;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.patterns.PatternCode;
import io.refundguard.patterns.PatternFinding;
import io.refundguard.patterns.RuleSet;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

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

    /**
     * Declares the gate's keyed state ({@code last-alert-by-pattern}, with TTL) and its metrics for
     * the function that owns it; call from that function's {@code open()}.
     */
    public static SubjectAlerts declare(RuntimeContext context, StateTtl stateTtl, Duration ttl, PatternCode... patterns) {
        MapStateDescriptor<String, AlertMark> marks = new MapStateDescriptor<>(
                "last-alert-by-pattern", Types.STRING, TypeInformation.of(AlertMark.class));
        return new SubjectAlerts(context.getMapState(stateTtl.expiredByOwner(ttl, marks)),
                new AlertMetrics(context.getMetricGroup(), patterns));
    }

    /** The last alert fired for a pattern, or null. */
    public AlertMark lastAlert(PatternCode pattern) throws Exception {
        return lastAlertByPattern.get(pattern.name());
    }

    /** Forgets every alert of this subject: the next finding is a new case. */
    public void clear() {
        lastAlertByPattern.clear();
    }

    public boolean isEmpty() throws Exception {
        return lastAlertByPattern.isEmpty();
    }

    /** The outcome of offering a finding: the alert if it fired, and the id that covers it either way. */
    public record Offer(Optional<Alert> fired, String coveringAlertId) {}

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
