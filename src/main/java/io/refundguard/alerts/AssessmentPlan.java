package io.refundguard.alerts;

import io.refundguard.identity.PersonEvent;

/**
 * How many pattern operators assess a request. Every operator computes the same number from the
 * request alone, so the verdict assembler knows when it has heard from all of them.
 */
public final class AssessmentPlan {
    private AssessmentPlan() {}

    /**
     * The person's patterns always assess; a request whose evidence went through the image
     * indexes (it carries findings) is also assessed by its shared-image cluster.
     */
    public static int expectedFor(PersonEvent request) {
        return request.findings() == null ? 1 : 2;
    }
}
