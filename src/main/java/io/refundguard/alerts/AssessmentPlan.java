package io.refundguard.alerts;

import io.refundguard.events.RefundEvent;

/**
 * How many pattern operators assess a request. Every operator computes the same number from the
 * request alone, so the verdict assembler knows when it has heard from all of them.
 */
public final class AssessmentPlan {
    private AssessmentPlan() {}

    public static int expectedFor(RefundEvent request) {
        // The person's patterns (REPEAT_REFUNDER, AMOUNT_TIER).
        return 1;
    }
}
