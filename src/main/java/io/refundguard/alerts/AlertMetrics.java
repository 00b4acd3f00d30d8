package io.refundguard.alerts;

import io.refundguard.patterns.PatternCode;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Per-pattern counters of fired and suppressed alerts, under the metric group {@code pattern.<CODE>}. */
public final class AlertMetrics {
    private final Map<PatternCode, Counter> fired = new EnumMap<>(PatternCode.class);
    private final Map<PatternCode, Counter> suppressed = new EnumMap<>(PatternCode.class);

    public AlertMetrics(MetricGroup operatorGroup, PatternCode... patterns) {
        for (PatternCode pattern : patterns) {
            MetricGroup group = operatorGroup.addGroup("pattern", pattern.name());
            fired.put(pattern, group.counter("alertsFired"));
            suppressed.put(pattern, group.counter("alertsSuppressed"));
        }
    }

    void fired(PatternCode pattern) {
        fired.get(pattern).inc();
    }

    void suppressed(PatternCode pattern) {
        suppressed.get(pattern).inc();
    }
}
