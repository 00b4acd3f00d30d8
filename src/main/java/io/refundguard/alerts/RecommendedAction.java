package io.refundguard.alerts;

/** What a platform should do with a request, mildest first. */
public enum RecommendedAction {
    ALLOW,
    /**
     * Ask the buyer for a photo taken live in the platform's app (no album upload): recommended by
     * a verdict only when its reasons are weak evidence signals alone ({@link LiveCapture}).
     */
    REQUEST_LIVE_CAPTURE,
    REQUIRE_RETURN,
    HOLD_FOR_MANUAL_REVIEW,
    REJECT_AND_REPORT
}
