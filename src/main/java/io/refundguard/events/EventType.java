package io.refundguard.events;

/** The {@code type} of a {@code refund-events} record (contract v1). */
public enum EventType {
    REFUND_REQUESTED,
    REFUND_DECIDED,
    REFUND_OUTCOME,
    IDENTITY_ERASED;

    /** Events that belong to one refund request and so carry {@code requestId}. */
    public boolean isRequestScoped() {
        return this != IDENTITY_ERASED;
    }
}
