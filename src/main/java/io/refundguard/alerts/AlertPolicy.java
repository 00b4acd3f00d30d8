package io.refundguard.alerts;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/** When an alert may repeat for a subject, how much it lists, and what it recommends. */
public record AlertPolicy(Duration cooldown, int maxRequestsListed, Map<Severity, RecommendedAction> actions)
        implements Serializable {
    public AlertPolicy {
        Check.positive("cooldown", cooldown);
        Check.atLeast("maxRequestsListed", maxRequestsListed, 1);
        actions = Check.covers("actions", actions, Severity.values());
    }

    public RecommendedAction actionFor(Severity severity) {
        return actions.get(severity);
    }
}
