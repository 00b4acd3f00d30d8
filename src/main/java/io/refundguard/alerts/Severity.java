package io.refundguard.alerts;

public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
