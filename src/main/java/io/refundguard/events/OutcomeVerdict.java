package io.refundguard.events;

/** Ground truth about a request, learned after the fact (manual review, appeal, court). */
public enum OutcomeVerdict {
    FRAUD,
    LEGITIMATE
}
