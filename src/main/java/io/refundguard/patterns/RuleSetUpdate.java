package io.refundguard.patterns;

import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A rule set published on {@code detector-control}: it decides events whose event time is at or
 * after {@code effectiveFrom} (epoch millis), until a later update takes over. Choosing by event
 * time, not by arrival, makes a replay with the same control records give the same decisions at
 * any parallelism.
 */
@TypeInfo(RuleSetUpdateTypeInfo.Factory.class)
public record RuleSetUpdate(RuleSet rules, long effectiveFrom) implements Serializable {
    public RuleSetUpdate {
        if (rules == null) {
            throw new IllegalArgumentException("rules must be present");
        }
    }

    public String version() {
        return rules.version();
    }
}
