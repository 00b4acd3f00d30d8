package io.refundguard.events;

/** The result of decoding one refund-events record: exactly one of the two is set. */
public record DecodedEvent(RefundEvent event, DeadLetter rejected) implements Decoded<RefundEvent> {
    public static DecodedEvent ok(RefundEvent event) {
        return new DecodedEvent(event, null);
    }

    public static DecodedEvent rejected(DeadLetter deadLetter) {
        return new DecodedEvent(null, deadLetter);
    }

    @Override
    public RefundEvent value() {
        return event;
    }

    public boolean isValid() {
        return event != null;
    }
}
