package io.refundguard.events;

public enum Decision {
    APPROVED,
    REJECTED
}
