package io.refundguard.events;

/** The result of decoding one refund-events record: exactly one of the two is set. */
public record DecodedEvent(RefundEvent event, DeadLetter rejected) {
    public static DecodedEvent ok(RefundEvent event) {
        return new DecodedEvent(event, null);
    }

    public static DecodedEvent rejected(DeadLetter deadLetter) {
        return new DecodedEvent(null, deadLetter);
    }

    public boolean isValid() {
        return event != null;
    }
}
