package io.refundguard.alerts;

/**
 * Another platform's share of an alert, as a platform's own view shows it: no account, order or
 * request ids, only how many, how much and when.
 */
public record PlatformSummary(
        String platform, int requestCount, String amountTotal, String currency, String firstOccurredAt, String lastOccurredAt) {}
