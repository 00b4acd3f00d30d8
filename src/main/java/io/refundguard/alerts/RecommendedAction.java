package io.refundguard.alerts;

/** What a platform should do with a request, mildest first. */
public enum RecommendedAction {
    ALLOW,
    REQUIRE_RETURN,
    HOLD_FOR_MANUAL_REVIEW,
    REJECT_AND_REPORT
}
