package io.refundguard.patterns;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;

/**
 * REPEAT_REFUNDER: {@code minRequests} refund-only requests by one person within {@code window}
 * (event time, sliding), counted across platforms.
 */
public record RepeatRefunderRule(
        Duration window, int minRequests, int crossPlatformMinPlatforms, int criticalRequests)
        implements Serializable {
    public RepeatRefunderRule {
        Check.positive("window", window);
        Check.atLeast("minRequests", minRequests, 1);
        Check.atLeast("crossPlatformMinPlatforms", crossPlatformMinPlatforms, 2);
        Check.atLeast("criticalRequests", criticalRequests, minRequests);
    }
}
