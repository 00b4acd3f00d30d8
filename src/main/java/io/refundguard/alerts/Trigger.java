package io.refundguard.alerts;

import io.refundguard.events.RefundEvent;

/** The event that made a pattern fire. */
public record Trigger(String platform, String requestId, String eventId) {
    public static Trigger of(RefundEvent event) {
        return new Trigger(event.platform(), event.requestId(), event.eventId());
    }
}
