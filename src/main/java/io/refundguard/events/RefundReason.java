package io.refundguard.events;

public enum RefundReason {
    DAMAGED,
    DEFECTIVE,
    NOT_AS_DESCRIBED,
    MISSING_PARTS,
    NOT_RECEIVED,
    OTHER
}
