package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;

/** How many assessments a request's verdict waits for: one per key it reaches, over every {@link Assessor}. */
public final class AssessmentPlan {
    private AssessmentPlan() {}

    public static int expectedFor(PersonEvent request) {
        int expected = 0;
        for (Assessor assessor : Assessor.values()) {
            expected += assessor.keysOf(request).size();
        }
        return expected;
    }
}
