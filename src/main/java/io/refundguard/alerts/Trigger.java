package io.refundguard.alerts;

/** The event that made a pattern fire. */
public record Trigger(String platform, String requestId, String eventId) {}
