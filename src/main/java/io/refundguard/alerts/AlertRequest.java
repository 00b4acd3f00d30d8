package io.refundguard.alerts;

/** One refund request behind an alert; amount as a decimal string, time in the platform's offset. */
public record AlertRequest(
        String platform, String requestId, String accountId, String amount, String currency, String occurredAt) {}
